package service

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"

	"gongjian/internal/domain"
	"gongjian/internal/idcheck"
	"gongjian/internal/region"
	"gongjian/internal/roster"
)

// cellDate reads a date by the cell's raw value and number format, never
// by the text Excel would show: a date-formatted number is a serial; a
// plain number is a year.month typed as a number (2016.07), a compact
// date (20160721) or, short of six digits, a serial whose format the
// reader did not recognise; text goes to idcheck.ParseRosterDate. A
// year.month whose month is 1 and that was a number (2016.1, which may be
// 2016.10 with its zero lost; CSV keeps no types, so there too) is left
// empty with a warning rather than guessed: the warning's message ID is
// returned.
func (im *importer) cellDate(c roster.Cell) (domain.Date, idcheck.Precision, string, error) {
	t := strings.TrimSpace(c.Text)
	if t == "" || idcheck.IsPlaceholder(t) {
		return domain.Date{}, idcheck.PrecisionNone, "", nil
	}
	csv := im.format == roster.KindCSV.String()
	integer := !strings.ContainsAny(t, ".eE") && strings.TrimLeft(t, "0123456789") == ""
	switch {
	case c.IsDate:
		return serialDate(c.Serial, im.date1904)
	case (c.IsNumber || csv) && idcheck.AmbiguousMonth(t):
		return domain.Date{}, idcheck.PrecisionNone, "import.date_ambiguous", nil
	case c.IsNumber && integer && len(t) < 6:
		return serialDate(c.Serial, im.date1904)
	case csv && integer && len(t) == 5:
		// A date cell saved to CSV by a program that wrote its serial.
		n := 0
		for _, r := range t {
			n = n*10 + int(r-'0')
		}
		return serialDate(float64(n), false)
	}
	d, prec, err := idcheck.ParseRosterDate(t)
	if err != nil {
		return domain.Date{}, idcheck.PrecisionNone, "", err
	}
	return domain.NewDate(d.Year, d.Month, max(d.Day, 1)), prec, "", nil
}

func serialDate(n float64, date1904 bool) (domain.Date, idcheck.Precision, string, error) {
	t, err := idcheck.ExcelSerial(n, date1904)
	if err != nil {
		return domain.Date{}, idcheck.PrecisionNone, "", err
	}
	if t.Year() < 1900 || t.Year() > 2100 {
		return domain.Date{}, idcheck.PrecisionNone, "", &idcheck.Error{Code: idcheck.CodeDateYear, Args: map[string]any{"year": t.Year()}}
	}
	return domain.NewDate(t.Year(), t.Month(), t.Day()), idcheck.PrecisionDay, "", nil
}

// place is a resolved place name: the division's code and the text after
// the part that named it (a village, a street).
type place struct {
	code, rest string
}

// placeCuts are the characters after which a place name may end and an
// address continue: cutting only there keeps an unresolvable address to a
// handful of lookups instead of one per character.
const placeCuts = "省市区县旗州盟镇乡道"

// resolvePlace finds the division a roster names (户籍地, 务工地): a code,
// a name, a string of names (江苏省灌南县新安镇), or such a string followed
// by a village or a street. within (a division code) is searched first, so
// that 新安镇 in a Guannan roster is Guannan's 新安镇. Results are cached:
// a township's roster repeats the same few places.
func (im *importer) resolvePlace(text, within string) place {
	key := within + "\x00" + text
	if p, ok := im.places[key]; ok {
		return p
	}
	q := strings.Join(strings.Fields(norm.NFKC.String(text)), "")
	var p place
	if m, ok := bestPlace(q, within); ok {
		p.code = m.Code
	} else {
		runes := []rune(q)
		for n := len(runes) - 1; n >= 2; n-- {
			if !strings.ContainsRune(placeCuts, runes[n-1]) {
				continue
			}
			if m, ok := bestPlace(string(runes[:n]), within); ok {
				p = place{code: m.Code, rest: string(runes[n:])}
				break
			}
		}
	}
	im.places[key] = p
	return p
}

// bestPlace is the one division a query names: the only match, or a
// match that ranks above the next (a full name before a short one, a
// county before a township of the same name). A query that names several
// equally (朝阳区 in Beijing and in Changchun) names none.
func bestPlace(q, within string) (region.Match, bool) {
	if within != "" {
		if len(within) > 6 {
			within = within[:6]
		}
		if ms := region.FindIn(within, q); len(ms) > 0 {
			return unique(ms)
		}
	}
	return unique(region.Find(q))
}

func unique(ms []region.Match) (region.Match, bool) {
	switch {
	case len(ms) == 0:
		return region.Match{}, false
	case len(ms) == 1, ms[0].How != ms[1].How, ms[0].Level != ms[1].Level:
		return ms[0], true
	}
	return region.Match{}, false
}

// municipalities are the province-level cities, whose districts have no
// prefecture above them: their code stands for the city.
var municipalities = map[string]bool{"110000": true, "120000": true, "310000": true, "500000": true}

// workPlace resolves where a person works to the city (prefecture) and
// district (county-level unit) codes. A place known only to its province
// is too vague and counts as unresolved.
func (im *importer) workPlace(text string) (city, district, rest string, ok bool) {
	p := im.resolvePlace(text, "")
	for _, r := range region.Path(p.code) {
		switch r.Level {
		case region.Province:
			if municipalities[r.Code] {
				city = r.Code
			}
		case region.Prefecture:
			city = r.Code
		case region.County:
			district = r.Code
		}
	}
	return city, district, p.rest, city != ""
}

// industrySections are the GB/T 4754-2017 sections A–T by name, and the
// first division (two-digit code) of each, for rosters that write a
// division or the section's name instead of its letter.
var industrySections = [...]struct {
	name  string
	first int
}{
	{"农、林、牧、渔业", 1}, {"采矿业", 6}, {"制造业", 13}, {"电力、热力、燃气及水生产和供应业", 44}, {"建筑业", 47},
	{"批发和零售业", 51}, {"交通运输、仓储和邮政业", 53}, {"住宿和餐饮业", 61}, {"信息传输、软件和信息技术服务业", 63},
	{"金融业", 66}, {"房地产业", 70}, {"租赁和商务服务业", 71}, {"科学研究和技术服务业", 73}, {"水利、环境和公共设施管理业", 76},
	{"居民服务、修理和其他服务业", 80}, {"教育", 83}, {"卫生和社会工作", 84}, {"文化、体育和娱乐业", 86},
	{"公共管理、社会保障和社会组织", 91}, {"国际组织", 97},
}

// industryStrip drops the words and marks that differ between the ways a
// section's name is written; industryKeys are the names so reduced.
var (
	industryStrip = strings.NewReplacer("、", "", "和", "", "及", "", "业", "")
	industryKeys  = func() (out [len(industrySections)]string) {
		for i, sec := range industrySections {
			out[i] = industryStrip.Replace(sec.name)
		}
		return out
	}()
)

// industryOf reads an industry cell: a section letter ("E", "e",
// "E 建筑业"), a division code ("47", "4710" by its first two digits), or
// the section's name, whole or a distinctive part of it ("建筑", "餐饮").
func industryOf(s string) (string, bool) {
	t := strings.ToUpper(strings.Join(strings.Fields(norm.NFKC.String(s)), ""))
	if t == "" {
		return "", false
	}
	if r, size := utf8.DecodeRuneInString(t); r >= 'A' && r <= 'T' && (size == len(t) || !unicode.Is(unicode.Latin, rune(t[size]))) {
		return string(r), true
	}
	if len(t) >= 2 && t[0] >= '0' && t[0] <= '9' && t[1] >= '0' && t[1] <= '9' && strings.TrimLeft(t, "0123456789") == "" {
		div := int(t[0]-'0')*10 + int(t[1]-'0')
		for i := len(industrySections) - 1; i >= 0; i-- {
			if div >= industrySections[i].first && div <= 97 {
				return string(rune('A' + i)), div > 0
			}
		}
		return "", false
	}
	want := industryStrip.Replace(t)
	if utf8.RuneCountInString(want) < 2 {
		return "", false
	}
	found := -1
	for i, name := range industryKeys {
		if name == want || strings.Contains(name, want) {
			if found >= 0 {
				return "", false // 服务 is in several sections
			}
			found = i
		}
	}
	if found < 0 {
		return "", false
	}
	return string(rune('A' + found)), true
}

// statusWords are what offices write for membership status; nonMember
// words (群众, 共青团员 …) and an empty cell mean no membership.
var (
	statusWords = map[string]domain.MemberStatus{
		"正式": domain.StatusFull, "正式党员": domain.StatusFull, "中共党员": domain.StatusFull, "党员": domain.StatusFull,
		"中国共产党党员": domain.StatusFull, "预备": domain.StatusProbationary, "预备党员": domain.StatusProbationary,
		"中共预备党员": domain.StatusProbationary, "发展对象": domain.StatusTarget, "积极分子": domain.StatusActivist,
		"入党积极分子": domain.StatusActivist, "申请人": domain.StatusApplicant, "入党申请人": domain.StatusApplicant,
	}
	nonMember = map[string]bool{"群众": true, "共青团员": true, "团员": true, "无党派人士": true, "无党派": true, "非党员": true,
		"否": true, "空": true}
)

// memberStatus reads a status cell: ok is false for a word nobody
// listed, which the import refuses rather than guesses.
func memberStatus(s string) (status domain.MemberStatus, member, ok bool) {
	t := strings.Join(strings.Fields(norm.NFKC.String(s)), "")
	if t == "" || nonMember[t] {
		return "", false, true
	}
	if st, found := statusWords[t]; found {
		return st, true, true
	}
	if domain.MemberStatus(strings.ToLower(t)).Valid() {
		return domain.MemberStatus(strings.ToLower(t)), true, true
	}
	return "", false, false
}
