package pinyin

import (
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	gopinyin "github.com/mozillazg/go-pinyin"
)

func TestOf(t *testing.T) {
	tests := []struct {
		name      string
		full      string
		initials  string
		syllables []string
		unknown   []rune
	}{
		// Polyphonic surnames take their surname reading.
		{"单雄信", "shanxiongxin", "sxx", []string{"shan", "xiong", "xin"}, nil},
		{"解缙", "xiejin", "xj", []string{"xie", "jin"}, nil},
		{"曾国藩", "zengguofan", "zgf", []string{"zeng", "guo", "fan"}, nil},
		{"乐嘉", "yuejia", "yj", []string{"yue", "jia"}, nil},
		{"区寄", "ouji", "oj", []string{"ou", "ji"}, nil},
		{"卜算子", "busuanzi", "bsz", []string{"bu", "suan", "zi"}, nil},
		{"尉健行", "weijianxing", "wjx", []string{"wei", "jian", "xing"}, nil},
		// Compound surnames are one surname, read as a surname.
		{"欧阳修", "ouyangxiu", "oyx", []string{"ou", "yang", "xiu"}, nil},
		{"尉迟恭", "yuchigong", "ycg", []string{"yu", "chi", "gong"}, nil},
		{"长孙无忌", "zhangsunwuji", "zswj", []string{"zhang", "sun", "wu", "ji"}, nil},
		{"万俟卨", "moqixie", "mqx", []string{"mo", "qi", "xie"}, nil},
		// Two characters are a single surname and a given name.
		{"长孙", "changsun", "cs", []string{"chang", "sun"}, nil},
		// A given name takes go-pinyin's first reading.
		{"张乐", "zhangle", "zl", []string{"zhang", "le"}, nil},
		{"吕布", "lvbu", "lb", []string{"lv", "bu"}, nil},
		// Minority names: the dot and its look-alikes are skipped, and the
		// surname tables stay out.
		{"买买提·艾力", "maimaitiaili", "mmtal", []string{"mai", "mai", "ti", "ai", "li"}, nil},
		{"买买提・艾力", "maimaitiaili", "mmtal", []string{"mai", "mai", "ti", "ai", "li"}, nil},
		{"单·买买提", "danmaimaiti", "dmmt", []string{"dan", "mai", "mai", "ti"}, nil},
		// Padding and stray spaces: the caller normalises, Of copes.
		{"王　伟", "wangwei", "ww", []string{"wang", "wei"}, nil},
		{" 王伟 \u200b", "wangwei", "ww", []string{"wang", "wei"}, nil},
		// Latin letters and digits are kept, lower-cased, one syllable a run.
		{"张伟2", "zhangwei2", "zw2", []string{"zhang", "wei", "2"}, nil},
		{"John Smith", "johnsmith", "js", []string{"john", "smith"}, nil},
		{"李Ａ１", "lia1", "la1", []string{"li", "a", "1"}, nil},
		// Characters beyond GBK that go-pinyin knows.
		{"刘䶮", "liuyan", "ly", []string{"liu", "yan"}, nil},
		{"赵孟𫖯", "zhaomengfu", "zmf", []string{"zhao", "meng", "fu"}, nil},
		{"龚䶮𫖯", "gongyanfu", "gyf", []string{"gong", "yan", "fu"}, nil},
		// Characters it does not know add nothing but are reported.
		{"王𠮷", "wang", "w", []string{"wang"}, []rune{'𠮷'}},
		{"𠮷田", "tian", "t", []string{"tian"}, []rune{'𠮷'}},
		{"Zoë", "zo", "z", []string{"zo"}, []rune{'ë'}},
		{"张\xff伟", "zhangwei", "zw", []string{"zhang", "wei"}, []rune{'\uFFFD'}},
		// Nothing in, nothing out.
		{"", "", "", nil, nil},
		{"·　", "", "", nil, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			n := Of(tt.name)
			got := []any{n.Full, n.Initials, n.Syllables, n.Unknown}
			want := []any{tt.full, tt.initials, tt.syllables, tt.unknown}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("Of(%q) (-want +got):\n%s", tt.name, diff)
			}
			if n.Source != tt.name {
				t.Errorf("Source = %q", n.Source)
			}
		})
	}
}

// TestSortRoster sorts names as a township roster would list them: by the
// surname's pinyin (曾 under z, not c), every 张 before every 章, a
// compound surname after the single surname it starts with.
func TestSortRoster(t *testing.T) {
	want := []string{
		"阿依古丽·买买提",
		"安娜",
		"柏林", // bai, U+67CF
		"白雪", // bai, U+767D
		"白云",
		"陈晨", // chen before cheng
		"程浩",
		"李明",
		"刘备",
		"吕布",  // lv after liu
		"欧文",  // ou
		"欧阳修", // ouyang
		"单雄信", // shan
		"解缙",  // xie
		"乐嘉",  // yue
		"曾国藩", // zeng
		"张安",
		"张伟",
		"章伟",   // zhang, U+7AE0 after U+5F20
		"长孙无忌", // zhangsun after zhang
	}
	got := slices.Clone(want)
	slices.Reverse(got)
	got[3], got[11] = got[11], got[3]
	sort.Slice(got, func(i, j int) bool { return Of(got[i]).Sort < Of(got[j]).Sort })
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("roster order (-want +got):\n%s", diff)
	}
}

func TestSortKey(t *testing.T) {
	for _, tt := range []struct{ a, b string }{
		{"张", "张伟"}, // a shorter name first
		{"王伟", "王伟伟"},
		{"王伟", "王𠮷"}, // unknown letters after z within their place
		{"赵𠮷", "𠮷田"}, // an unknown surname after every known one
		{"张伟", "张伟2"},
		{"张伟1", "张伟2"},
		{"李", "李Mary"},
		{"王　伟", "王伟伟"}, // padding is ignored
		{"欧文", "欧阳修"},
		{"司马光", "司徒雷登"}, // ma before tu inside the compound
	} {
		if ka, kb := Of(tt.a).Sort, Of(tt.b).Sort; ka >= kb {
			t.Errorf("Sort(%q) = %q, not before Sort(%q) = %q", tt.a, ka, tt.b, kb)
		}
	}
	if a, b := Of("王　伟").Sort, Of("王伟").Sort; a != b {
		t.Errorf("padding changes Sort: %q, %q", a, b)
	}
	if got, want := Of("王𠮷").Sort, "wang!00738b ~!020bb7"; got != want {
		t.Errorf("Sort = %q, want %q", got, want)
	}
	if got, want := Of("欧阳修").Sort, "ouyang!006b27009633 xiu!004fee"; got != want {
		t.Errorf("Sort = %q, want %q", got, want)
	}
}

func TestReadings(t *testing.T) {
	tests := []struct {
		name string
		want []string
	}{
		{"张乐", []string{"zhangle", "zhangyue"}},
		{"乐嘉", []string{"yuejia", "lejia"}},
		{"单雄信", []string{"shanxiongxin", "shanxiongshen"}},
		{"尉迟恭", []string{"yuchigong"}},
		{"王伟", []string{"wangwei"}},
		{"买买提·艾力", []string{"maimaitiaili", "maimaitiyili", "maimaidiaili", "maimaidiyili",
			"maimaichiaili", "maimaichiyili", "maimaishiaili", "maimaishiyili"}},
		{"", []string{""}},
	}
	for _, tt := range tests {
		if diff := cmp.Diff(tt.want, Readings(tt.name)); diff != "" {
			t.Errorf("Readings(%q) (-want +got):\n%s", tt.name, diff)
		}
	}
	// Four characters with several readings each reach the cap.
	if got := Readings("那那那那"); len(got) != MaxReadings {
		t.Errorf("Readings gave %d variants, want %d", len(got), MaxReadings)
	}
}

func TestMatch(t *testing.T) {
	zhangle := Of("张乐")
	for _, tt := range []struct {
		query string
		n     Name
		want  bool
	}{
		{"zhangle", zhangle, true},
		{"zhangyue", zhangle, true},
		{"ZhangY", zhangle, true},
		{"zh", zhangle, true},
		{"zl", zhangle, true},
		{"zhang le", zhangle, true},
		{"", zhangle, true},
		{"zhangli", zhangle, false},
		{"zy", zhangle, false}, // initials of variants are not indexed
		{"lejia", Of("乐嘉"), true},
		{"mmtal", Of("买买提·艾力"), true},
		{"lv", Of("吕布"), true},
		{"lüb", Of("吕布"), true},
		{"xi'an", Of("西安"), true},
		{"sxx", Of("单雄信"), true},
		{"danx", Of("单雄信"), false},
		// A Name rebuilt from stored columns matches on those alone.
		{"zhangyue", Name{Full: "zhangle", Initials: "zl"}, false},
		{"zl", Name{Full: "zhangle", Initials: "zl"}, true},
	} {
		if got := Match(tt.query, tt.n); got != tt.want {
			t.Errorf("Match(%q, %q) = %v, want %v", tt.query, tt.n.Source, got, tt.want)
		}
	}
}

var asciiName = regexp.MustCompile(`^[a-z0-9]*$`)

// TestDictionaryFolds checks that every reading in go-pinyin's table folds
// to plain letters, so Full holds nothing else whatever the name.
func TestDictionaryFolds(t *testing.T) {
	for r, readings := range gopinyin.PinyinDict {
		if readings == "" {
			continue
		}
		for p := range strings.SplitSeq(readings, ",") {
			if f := fold(p); f == "" || !asciiName.MatchString(f) {
				t.Errorf("%U %q folds to %q", r, p, f)
			}
		}
	}
}

func TestSurnameTables(t *testing.T) {
	if n := len(singleSurnames); n < 40 {
		t.Errorf("%d single surnames, want at least 40", n)
	}
	for r, s := range singleSurnames {
		for _, p := range append([]string{s.reading}, s.also...) {
			if !asciiName.MatchString(p) || p == "" {
				t.Errorf("%c: reading %q", r, p)
			}
		}
	}
	for name, c := range compoundSurnames {
		if len([]rune(name)) != 2 || c[0] == "" || c[1] == "" {
			t.Errorf("compound %q: %q", name, c)
		}
	}
}

func FuzzOf(f *testing.F) {
	for _, s := range []string{"", "张伟", "买买提·艾力", "王　伟", "欧阳修", "𠮷", "\xff", "Ａ１a", "那那那那那"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n := Of(s)
		if !asciiName.MatchString(n.Full) || !asciiName.MatchString(n.Initials) {
			t.Fatalf("Of(%q): Full %q, Initials %q", s, n.Full, n.Initials)
		}
		if len(n.Initials) != len(n.Syllables) || strings.Join(n.Syllables, "") != n.Full {
			t.Fatalf("Of(%q): syllables %q, initials %q", s, n.Syllables, n.Initials)
		}
		for i := 0; i < len(n.Sort); i++ {
			if c := n.Sort[i]; c < ' ' || c > '~' {
				t.Fatalf("Of(%q): Sort %q has byte %#x", s, n.Sort, c)
			}
		}
		r := Readings(s)
		if len(r) == 0 || len(r) > MaxReadings || r[0] != n.Full {
			t.Fatalf("Readings(%q) = %q, Full %q", s, r, n.Full)
		}
		if !Match(n.Full, n) || !Match(n.Initials, n) {
			t.Fatalf("Of(%q) does not match itself", s)
		}
	})
}

func BenchmarkOf(b *testing.B) {
	for _, name := range []string{"张伟", "欧阳修", "买买提·艾力"} {
		b.Run(name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				Of(name)
			}
		})
	}
}
