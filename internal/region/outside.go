package region

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"gongjian/internal/region/divname"
)

// ErrOutside is the error of a place in Hong Kong, Macau or Taiwan, which
// GB/T 2260 codes at province level only (810000, 820000, 710000) and the
// mainland hierarchy of this package does not hold. Test with errors.Is;
// the error itself is an *OutsideError.
var ErrOutside = errors.New("region: outside the GB/T 2260 mainland hierarchy")

// ErrNotFound is Resolve's error when nothing matches.
var ErrNotFound = errors.New("region: no administrative division matches")

// OutsideError says that Query names Place ("香港特别行政区 九龙"), a place
// outside the GB/T 2260 mainland hierarchy.
type OutsideError struct {
	Query, Place string
}

func (e *OutsideError) Error() string {
	return fmt.Sprintf("region: %s (%s) is outside the GB/T 2260 mainland hierarchy", e.Query, e.Place)
}

// Is makes errors.Is(err, ErrOutside) true.
func (e *OutsideError) Is(target error) bool { return target == ErrOutside }

// Resolve is Find for callers that need a verdict, such as a roster
// import: the mainland matches, and an *OutsideError when the query also
// names a place in Hong Kong, Macau or Taiwan (九龙 is a part of Hong Kong
// and a county of Sichuan: the caller decides, typically by asking the
// person who sent the roster), or ErrNotFound when nothing matches.
func Resolve(query string) ([]Match, error) {
	ms := Find(query)
	if place, ok := Outside(query); ok {
		return ms, &OutsideError{Query: strings.TrimSpace(query), Place: place}
	}
	if len(ms) == 0 {
		return nil, ErrNotFound
	}
	return ms, nil
}

// Outside reports whether q names a place in Hong Kong, Macau or Taiwan,
// and which ("台湾省 台北市"): their codes (71…, 81…, 82…), their names at
// three levels and the short forms of the upper two (香港, 台北), common
// spellings (中国香港, 臺灣, 氹仔), and an address that starts with one of
// them (香港九龙旺角, 台北市信义区). It does not look at the mainland table:
// a name can be both (中山区 is in Dalian and in Taipei).
func Outside(q string) (place string, ok bool) {
	return load().outside.find(clean(q))
}

// outsideIndex is the parsed outside.tsv.
type outsideIndex struct {
	byName map[string]string // name or short form → path
	// prefixes are the names an address may start with, longest first:
	// the top level and the cities and counties of Taiwan. Names without
	// such a suffix (九龙) are not prefixes: 九龙坡区 is in Chongqing.
	prefixes []string
	tops     map[string]string // code digits 71, 81, 82 → path
}

func parseOutside(text string) (outsideIndex, error) {
	o := outsideIndex{byName: map[string]string{}, tops: map[string]string{}}
	add := func(name, path string) {
		if _, dup := o.byName[name]; !dup { // the file lists upper levels first
			o.byName[name] = path
		}
	}
	var buf [3]string
	for line := range strings.Lines(text) {
		if strings.HasPrefix(line, "#") {
			continue
		}
		f := splitTabs(line, buf[:])
		if len(f) != 3 || len(f[0]) != 1 {
			return o, fmt.Errorf("region: outside: line %q", line)
		}
		lv, name, path := int(f[0][0]-'0'), f[1], f[2]
		add(name, path)
		if lv <= 1 {
			if s := divname.Short(name, lv); s != "" {
				add(s, path)
				if lv == 0 {
					o.prefixes = append(o.prefixes, s)
				}
			}
			if lv == 0 || strings.HasSuffix(name, "市") || strings.HasSuffix(name, "县") || strings.HasSuffix(name, "岛") {
				o.prefixes = append(o.prefixes, name)
			}
		}
		switch name {
		case "台湾省":
			o.tops["71"] = path
		case "香港特别行政区":
			o.tops["81"] = path
		case "澳门特别行政区":
			o.tops["82"] = path
		}
	}
	if len(o.byName) < 300 || len(o.tops) != 3 {
		return o, fmt.Errorf("region: outside: %d names, %d of 3 top levels", len(o.byName), len(o.tops))
	}
	slices.SortFunc(o.prefixes, func(a, b string) int { return len(b) - len(a) })
	o.prefixes = slices.Compact(o.prefixes)
	return o, nil
}

func (o *outsideIndex) find(q string) (string, bool) {
	if rest, ok := strings.CutPrefix(q, "中国"); ok && rest != "" {
		q = rest
	}
	if q == "" {
		return "", false
	}
	if isDigits(q) {
		if len(q) >= 6 {
			if p, ok := o.tops[q[:2]]; ok {
				return p, true
			}
		}
		return "", false
	}
	if p, ok := o.byName[q]; ok {
		return p, true
	}
	for _, pre := range o.prefixes {
		rest, ok := strings.CutPrefix(q, pre)
		if !ok || rest == "" {
			continue
		}
		return o.deeper(o.byName[pre], rest), true
	}
	return "", false
}

// deeper makes path more precise with the places inside it that rest
// starts with: 台湾省 + 台北市信义区 → 台湾省 台北市 信义区.
func (o *outsideIndex) deeper(path, rest string) string {
	for rest != "" {
		found := false
		for cut := len(rest); cut > 0; cut-- {
			if p, ok := o.byName[rest[:cut]]; ok && strings.HasPrefix(p, path+" ") {
				path, rest, found = p, rest[cut:], true
				break
			}
		}
		if !found {
			break
		}
	}
	return path
}
