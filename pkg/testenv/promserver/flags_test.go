package promserver

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestLaunchFlags(t *testing.T) {
	base := []string{
		"--config.file=/c/prometheus.yml",
		"--storage.tsdb.path=/c/data",
		"--storage.tsdb.retention.time=100y",
	}
	tests := []struct {
		name string
		opts Options
		want []string
	}{
		{
			name: "default keeps remote write and native histograms off",
			want: append(append([]string{}, base...), "--web.listen-address=127.0.0.1:9999"),
		},
		{
			name: "native histograms add the feature and the remote-write receiver",
			opts: Options{NativeHistograms: true},
			want: append(append([]string{}, base...),
				"--enable-feature=native-histograms", "--web.enable-remote-write-receiver", "--web.listen-address=127.0.0.1:9999"),
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.want, launchFlags(tc.opts, "/c/prometheus.yml", "/c/data", "127.0.0.1:9999"))
		})
	}
}
