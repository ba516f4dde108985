declare const GRAFANA_MAJOR: number;

// The suite runs twice, against the newest @grafana packages and against the oldest Grafana the plugin supports
// (11.6, through the npm aliases); this checks each run loads the packages it claims to.
describe('@grafana packages under test', () => {
  it.each(['data', 'ui', 'runtime'])('@grafana/%s has the configured major version', (name) => {
    const version: string = jest.requireActual(`@grafana/${name}/package.json`).version;
    expect(Number(version.split('.')[0])).toBe(GRAFANA_MAJOR);
  });
});
