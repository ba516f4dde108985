package e2e

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// communityStart is the first sample of the community-dashboard fixture; it lasts communitySpan.
var communityStart = time.Date(2026, time.January, 1, 0, 0, 0, 0, time.UTC)

const (
	communityStep  = 30 * time.Second
	communitySpan  = time.Hour
	communityNodes = 2
)

// omFamily is one metric family of the fixture: every series gets one sample per step, value(k) at step k.
type omFamily struct {
	name, typ, help string
	series          []omSeries
}

type omSeries struct {
	labels string
	value  func(k int) float64
}

func constant(v float64) func(int) float64 { return func(int) float64 { return v } }

// communityFamilies are the kube-state-metrics and node_exporter series the two community dashboard fixtures
// (testdata/dashboards) query, with simple deterministic values.
func communityFamilies() []omFamily {
	pods := [][4]string{{"default", "web-7d9f", "node-a", "web"}, {"default", "web-5c2a", "node-b", "web"}, {"kube-system", "coredns-66bf", "node-a", "coredns"}}
	var (
		nodeInfo, podInfo, phase, restarts, allocatable, requests []omSeries
		uname, cpu, load, memTotal, memAvail, fsSize, fsAvail     []omSeries
		netRecv, boot, now                                        []omSeries
	)
	for i := 0; i < communityNodes; i++ {
		node := fmt.Sprintf("node-%c", 'a'+i)
		inst := fmt.Sprintf(`job="node",instance="%s:9100"`, node)
		nodeInfo = append(nodeInfo, omSeries{fmt.Sprintf(`node="%s",kernel_version="6.1.0"`, node), constant(1)})
		allocatable = append(allocatable, omSeries{fmt.Sprintf(`node="%s",resource="cpu",unit="core"`, node), constant(4)})
		uname = append(uname, omSeries{fmt.Sprintf(`%s,nodename="%s",sysname="Linux"`, inst, node), constant(1)})
		for c := 0; c < 2; c++ {
			for _, mode := range []struct {
				name  string
				share float64
			}{{"idle", 0.75}, {"user", 0.2}, {"system", 0.05}} {
				cpu = append(cpu, omSeries{fmt.Sprintf(`%s,cpu="%d",mode="%s"`, inst, c, mode.name), perSecond(mode.share)})
			}
		}
		offset := float64(i)
		load = append(load, omSeries{inst, func(k int) float64 { return 0.5 + offset + float64(k%10)/20 }})
		memTotal = append(memTotal, omSeries{inst, constant(8 << 30)})
		memAvail = append(memAvail, omSeries{inst, func(k int) float64 { return float64(5<<30 - k<<20) }})
		fs := inst + `,device="/dev/sda1",fstype="ext4",mountpoint="/"`
		fsSize = append(fsSize, omSeries{fs, constant(100 << 30)})
		fsAvail = append(fsAvail, omSeries{fs, func(k int) float64 { return float64(60<<30 - k<<20) }})
		netRecv = append(netRecv, omSeries{inst + `,device="eth0"`, perSecond(4096)})
		boot = append(boot, omSeries{inst, constant(float64(communityStart.Add(-24 * time.Hour).Unix()))})
		now = append(now, omSeries{inst, func(k int) float64 {
			return float64(communityStart.Add(time.Duration(k) * communityStep).Unix())
		}})
	}
	for i, p := range pods {
		podLabels := fmt.Sprintf(`namespace="%s",pod="%s"`, p[0], p[1])
		podInfo = append(podInfo, omSeries{fmt.Sprintf(`%s,node="%s",created_by_name="%s"`, podLabels, p[2], p[3]), constant(1)})
		phase = append(phase, omSeries{podLabels + `,phase="Running"`, constant(1)}, omSeries{podLabels + `,phase="Pending"`, constant(0)})
		every := 20 * (i + 1)
		restarts = append(restarts, omSeries{fmt.Sprintf(`%s,container="%s"`, podLabels, p[3]), func(k int) float64 { return float64(k / every) }})
		requests = append(requests, omSeries{fmt.Sprintf(`%s,container="%s",resource="cpu",unit="core"`, podLabels, p[3]), constant(0.25)})
	}
	return []omFamily{
		{"kube_node_info", "gauge", "Information about a cluster node.", nodeInfo},
		{"kube_pod_info", "gauge", "Information about a pod.", podInfo},
		{"kube_pod_status_phase", "gauge", "The pod's current phase.", phase},
		{"kube_deployment_spec_replicas", "gauge", "Desired replicas of a deployment.", []omSeries{
			{`namespace="default",deployment="web"`, constant(2)}, {`namespace="kube-system",deployment="coredns"`, constant(1)}}},
		{"kube_deployment_status_replicas_available", "gauge", "Available replicas of a deployment.", []omSeries{
			{`namespace="default",deployment="web"`, func(k int) float64 { return float64(2 - min(k%40, 1)) }},
			{`namespace="kube-system",deployment="coredns"`, constant(1)}}},
		{"kube_pod_container_status_restarts", "counter", "Container restarts.", restarts},
		{"kube_node_status_allocatable", "gauge", "Allocatable resources of a node.", allocatable},
		{"kube_pod_container_resource_requests", "gauge", "Requested resources of a container.", requests},
		{"node_uname_info", "gauge", "Labeled system information.", uname},
		{"node_cpu_seconds", "counter", "Seconds the CPUs spent in each mode.", cpu},
		{"node_load1", "gauge", "1m load average.", load},
		{"node_memory_MemTotal_bytes", "gauge", "Memory information field MemTotal_bytes.", memTotal},
		{"node_memory_MemAvailable_bytes", "gauge", "Memory information field MemAvailable_bytes.", memAvail},
		{"node_filesystem_size_bytes", "gauge", "Filesystem size in bytes.", fsSize},
		{"node_filesystem_avail_bytes", "gauge", "Filesystem space available to non-root users in bytes.", fsAvail},
		{"node_network_receive_bytes", "counter", "Network device statistic receive_bytes.", netRecv},
		{"node_boot_time_seconds", "gauge", "Node boot time, in unixtime.", boot},
		{"node_time_seconds", "gauge", "System time in seconds since epoch.", now},
	}
}

func perSecond(rate float64) func(int) float64 {
	return func(k int) float64 { return rate * (time.Duration(k) * communityStep).Seconds() }
}

// writeCommunityFixture writes the fixture as OpenMetrics text (timestamps in seconds, ending with # EOF).
func writeCommunityFixture(dir string) (string, error) {
	var b strings.Builder
	steps := int(communitySpan/communityStep) + 1
	for _, f := range communityFamilies() {
		fmt.Fprintf(&b, "# TYPE %s %s\n# HELP %s %s\n", f.name, f.typ, f.name, f.help)
		sample := f.name
		if f.typ == "counter" {
			sample += "_total"
		}
		for _, s := range f.series {
			for k := 0; k < steps; k++ {
				ts := communityStart.Add(time.Duration(k) * communityStep).Unix()
				fmt.Fprintf(&b, "%s{%s} %g %d\n", sample, s.labels, s.value(k), ts)
			}
		}
	}
	b.WriteString("# EOF\n")
	path := filepath.Join(dir, "community.om")
	return path, os.WriteFile(path, []byte(b.String()), 0o644)
}
