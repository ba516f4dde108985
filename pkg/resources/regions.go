package resources

import "slices"

// ampRegions are the regions where AMP is offered, kept in code so the picker needs no ec2:DescribeRegions
// permission. The config editor also accepts a region typed in, for regions added after this list.
var ampRegions = []string{
	"ap-northeast-1", "ap-northeast-2", "ap-south-1", "ap-southeast-1", "ap-southeast-2",
	"ca-central-1",
	"eu-central-1", "eu-north-1", "eu-west-1", "eu-west-2", "eu-west-3",
	"sa-east-1",
	"us-east-1", "us-east-2", "us-west-1", "us-west-2",
}

// regions is the static list plus the data source's own regions, sorted.
func (d *discovery) regions() []string {
	out := slices.Clone(ampRegions)
	extra := []string{d.settings.Endpoint.Region}
	if d.settings.SigV4 != nil {
		extra = append(extra, d.settings.SigV4.Region)
	}
	for _, r := range extra {
		if r != "" && !slices.Contains(out, r) {
			out = append(out, r)
		}
	}
	slices.Sort(out)
	return out
}
