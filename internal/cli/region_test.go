package cli_test

import (
	"strings"
	"testing"
)

// region find needs no database: it reads the embedded division table.
func TestRegionFind(t *testing.T) {
	s := sqliteSite(t)
	find := func(args ...string) result {
		return s.runRaw(ctx, append([]string{"region", "find"}, args...)...)
	}

	r := find("灌南", "--lang", "en")
	r.want(t, 0, "320724\t灌南县\tcounty\t江苏省 连云港市 灌南县")
	if r.err != "" {
		t.Errorf("stderr: %q", r.err)
	}
	find("320724").want(t, 0, "320724\t灌南县\t县级\t江苏省 连云港市 灌南县")
	find("320724101000").want(t, 0, "320724101\t堆沟港镇\t乡级\t江苏省 连云港市 灌南县 堆沟港镇")
	find("肃北").want(t, 0, "620923\t肃北蒙古族自治县")

	// Old names print the current unit beside them.
	find("安西县").want(t, 0, "620922\t安西县\t县级\t甘肃省 酒泉市 安西县\t（历史名称，2006年起为 瓜州县 620922）")
	find("下城区").want(t, 0, "（历史名称，2021年并入 拱墅区 330105）")
	find("下城区", "--lang", "en").want(t, 0, "(historical name; merged into 拱墅区 330105 in 2021)")
	find("云台区").want(t, 0, "撤销，资料未载明去向")

	// Within a parent, by name or code; several words read as one place.
	r = find("新安镇", "--in", "灌南")
	r.want(t, 0, "320724100\t新安镇\t乡级\t江苏省 连云港市 灌南县 新安镇")
	if n := strings.Count(r.out, "\n"); n != 1 {
		t.Errorf("新安镇 in 灌南: %d lines\n%s", n, r.out)
	}
	find("拱墅区", "--in", "330100").want(t, 0, "330105\t拱墅区")
	find("灌南", "新安镇").want(t, 0, "320724100\t新安镇")

	// Ambiguous names list every match, limited.
	r = find("朝阳区")
	r.want(t, 0, "110105\t朝阳区", "220104\t朝阳区")
	r = find("城关镇", "--limit", "3", "--lang", "en")
	r.want(t, 0, "… and 85 more")
	if n := strings.Count(r.out, "\n"); n != 4 {
		t.Errorf("--limit 3 printed %d lines", n)
	}

	// Hong Kong, Macau and Taiwan are recognised, not unknown.
	find("香港", "--lang", "en").want(t, 0, "香港: 香港特别行政区, in Hong Kong, Macau or Taiwan, outside the GB/T 2260 mainland hierarchy")
	find("台北").want(t, 0, "台湾省 台北市，属于香港、澳门或台湾，不在 GB/T 2260 内地行政区划体系内")
	r = find("九龙")
	r.want(t, 0, "香港特别行政区 九龙", "513324\t九龙县") // and Sichuan's county of that name
	find("810000").want(t, 0, "香港特别行政区")

	// Nothing found: exit 1, one line on stderr suggesting a shorter name.
	r = find("灌南县城", "--lang", "en")
	r.want(t, 1, `nothing matches "灌南县城"; try a shorter name`)
	r.oneErrorLine(t)
	if r.out != "" {
		t.Errorf("stdout on no match: %q", r.out)
	}
	find("不存在").want(t, 1, "请试试更短的名称")

	// Usage.
	s.runRaw(ctx, "region", "--lang", "en").want(t, 2, "usage: gongjian region find NAME|CODE")
	s.runRaw(ctx, "region", "lookup", "x", "--lang", "en").want(t, 2, "usage: gongjian region find")
	find("--lang", "en").want(t, 2, "usage: gongjian region find")
	find("灌南", "--limit", "0", "--lang", "en").want(t, 2, "usage: gongjian region find")
	find("灌南", "--bogus").want(t, 2, "flag provided but not defined")
	find("新安镇", "--in", "不存在的上级", "--lang", "en").want(t, 2, `--in "不存在的上级" names no known division`)
	s.runRaw(ctx, "region", "-h").want(t, 0, "gongjian region find")
	s.runRaw(ctx, "help", "--lang", "en").want(t, 0, "gongjian region find NAME|CODE")
}
