// Command ampmigrate migrates Grafana data sources between the core Prometheus type and the Amazon Managed
// Service for Prometheus plugin, rolls the migration back, and retargets dashboards, with a service account
// token. Run `ampmigrate --help` for usage.
package main

import (
	"context"
	"os"
	"os/signal"

	"github.com/grafana/grafana-amazonprometheus-datasource/pkg/migrate"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	code := migrate.Main(ctx, os.Args[1:], os.Getenv, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}
