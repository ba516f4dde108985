// Stylesheets imported by dependencies carry no behaviour the tests check.
module.exports = {};
