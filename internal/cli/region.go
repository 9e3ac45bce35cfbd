package cli

import (
	"context"
	"fmt"
	"strings"

	"gongjian/internal/config"
	"gongjian/internal/region"
)

// regionDefaultLimit is how many matches `region find` prints unless
// --limit says otherwise: enough for every 朝阳 of a province, short of the
// 88 towns called 城关镇.
const regionDefaultLimit = 30

// region runs `region find NAME|CODE [--in PARENT] [--limit N]`: it looks
// a place up in the embedded table of administrative divisions, one line
// a match, and needs neither a database nor a key file. Exit status 0
// with matches (or a Hong Kong, Macau or Taiwan place), 1 with none.
func (r *runner) region(ctx context.Context, args []string) error {
	if len(args) > 0 && isHelp(args[0]) {
		return errHelp
	}
	if len(args) == 0 || args[0] != "find" {
		return usageError("region.usage")
	}
	fs := newFlags("region find")
	in := fs.String("in", "", "parent: a name or code")
	limit := fs.Int("limit", regionDefaultLimit, "most matches to print")
	fs.String("lang", "", "language of messages: zh-CN or en") // read by config.Resolve
	pos, err := parseArgs(fs, args[1:])
	if err != nil {
		return err
	}
	cfg, err := config.Resolve(fs, r.env.Getenv, config.Defaults{})
	if err != nil {
		return err
	}
	r.l = r.bundle.For(cfg.Lang)
	// Words are joined: `region find 灌南 新安镇` reads as 灌南新安镇.
	query := strings.Join(pos, "")
	if strings.TrimSpace(query) == "" || *limit < 1 {
		return usageError("region.usage")
	}

	var matches []region.Match
	outside := ""
	if *in == "" {
		matches = region.Find(query)
		if place, ok := region.Outside(query); ok {
			outside = place
		}
	} else {
		parents, err := regionParents(*in)
		if err != nil {
			return err
		}
		seen := map[string]bool{}
		for _, p := range parents {
			for _, m := range region.FindIn(p, query) {
				if k := m.Code + m.Name; !seen[k] {
					seen[k] = true
					matches = append(matches, m)
				}
			}
		}
	}
	if len(matches) == 0 && outside == "" {
		return runtimeError("region.find.none", "Query", strings.TrimSpace(query))
	}
	if outside != "" {
		r.say("region.find.outside", "Query", strings.TrimSpace(query), "Place", outside)
	}
	for i, m := range matches {
		if i == *limit {
			r.say("region.find.more", "N", len(matches)-*limit)
			break
		}
		fmt.Fprintln(r.env.Out, r.regionLine(m))
	}
	return nil
}

// regionParents turns --in into parent codes: a code as given, or the
// units a name matches best (several when the name is ambiguous).
func regionParents(in string) ([]string, error) {
	if reg, ok := region.Lookup(in); ok {
		return []string{reg.Code}, nil
	}
	var out []string
	matches := region.Find(in)
	for _, m := range matches {
		if m.How != matches[0].How || m.Level == region.Township || len(out) == 10 {
			break
		}
		out = append(out, m.Code)
	}
	if len(out) == 0 {
		return nil, usageError("region.find.no_parent", "Parent", in)
	}
	return out, nil
}

// regionLine is one match: code, name, level, path from the province,
// and a note for a historical entry or a development zone, tab-separated.
func (r *runner) regionLine(m region.Match) string {
	var names []string
	for _, p := range m.Path() {
		names = append(names, p.Name)
	}
	cols := []string{m.Code, m.Name, r.l.T("region.level." + m.Level.String()), strings.Join(names, " ")}
	switch {
	case m.Historical:
		cols = append(cols, r.historyNote(m.Region))
	case m.Zone:
		cols = append(cols, r.l.T("region.find.zone"))
	}
	return strings.Join(cols, "\t")
}

// historyNote says what a historical entry became: the current unit at
// the end of its successors, and when the last change happened.
func (r *runner) historyNote(reg region.Region) string {
	steps := append([]region.Region{reg}, reg.Successors()...)
	final := steps[len(steps)-1]
	if final.Historical {
		return r.l.T(when("region.find.ended", final), "Year", final.ValidTo, "From", final.ValidToMin, "To", final.ValidTo)
	}
	last := steps[len(steps)-2]
	id := "region.find.became"
	if last.Change == region.Merged && last.ValidTo != 0 {
		id = "region.find.merged"
	}
	return r.l.T(when(id, last), "Year", last.ValidTo, "From", last.ValidToMin, "To", last.ValidTo,
		"Name", final.Name, "Code", final.Code)
}

// when picks the form of message id for what the sources know of the
// year: _in (one year), _between (a span), _now or bare (unknown).
func when(id string, reg region.Region) string {
	switch {
	case reg.ValidTo == 0 && id == "region.find.ended":
		return id
	case reg.ValidTo == 0:
		return id + "_now"
	case reg.ValidToMin != 0 && reg.ValidToMin != reg.ValidTo:
		return id + "_between"
	}
	return id + "_in"
}
