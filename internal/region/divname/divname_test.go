package divname

import "testing"

func TestShort(t *testing.T) {
	cases := []struct {
		name  string
		level int
		want  string
	}{
		{"江苏省", Province, "江苏"},
		{"广西壮族自治区", Province, "广西"},
		{"新疆维吾尔自治区", Province, "新疆"},
		{"内蒙古自治区", Province, "内蒙古"},
		{"北京市", Province, "北京"},
		{"香港特别行政区", Province, "香港"},
		{"连云港市", Prefecture, "连云港"},
		{"延边朝鲜族自治州", Prefecture, "延边"},
		{"博尔塔拉蒙古自治州", Prefecture, "博尔塔拉"},
		{"伊犁哈萨克自治州", Prefecture, "伊犁"},
		{"大兴安岭地区", Prefecture, "大兴安岭"},
		{"阿拉善盟", Prefecture, "阿拉善"},
		{"灌南县", County, "灌南"},
		{"肃北蒙古族自治县", County, "肃北"},
		{"青龙满族自治县", County, "青龙"},
		{"彭水苗族土家族自治县", County, "彭水"},
		{"积石山保安族东乡族撒拉族自治县", County, "积石山"},
		{"龙胜各族自治县", County, "龙胜"},
		{"鄂伦春自治旗", County, "鄂伦春"}, // the stem is the people's own name
		{"神农架林区", County, "神农架"},
		{"六枝特区", County, "六枝"},
		{"峰峰矿区", County, "峰峰"},
		{"浦东新区", County, "浦东"},
		{"清新区", County, "清新"},
		{"涉县", County, ""},
		{"城区", County, ""},
		{"朝阳区", County, "朝阳"},
		{"新安镇", Township, "新安"},
		{"堆沟港镇", Township, "堆沟港"},
		{"东华门街道", Township, "东华门"},
		{"某某回族乡", Township, "某某"},
		{"大高山镇", Township, "大高山"},
		{"东乡镇", Township, "东乡"},
		{"肃北县", Any, "肃北"},
		{"灌南", Any, ""},
	}
	for _, c := range cases {
		if got := Short(c.name, c.level); got != c.want {
			t.Errorf("Short(%q, %d) = %q, want %q", c.name, c.level, got, c.want)
		}
	}
}

func TestStem(t *testing.T) {
	if got := Stem("滦县", County); got != "滦" {
		t.Errorf("Stem(滦县) = %q", got)
	}
	if got := Stem("灌南", County); got != "灌南" {
		t.Errorf("Stem(灌南) = %q", got)
	}
}

func TestEthnicCount(t *testing.T) {
	if n := len(Ethnic); n != 57 { // 56 groups and 各
		t.Errorf("%d ethnic names, want 57", n)
	}
}
