package service_test

import (
	"bytes"
	"fmt"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"gongjian/internal/auth"
	"gongjian/internal/authz"
	"gongjian/internal/clock"
	"gongjian/internal/domain"
	"gongjian/internal/region"
	"gongjian/internal/seal"
	"gongjian/internal/service"
	"gongjian/internal/store"
)

// importWorld is a county with a township, a village branch, a mobile
// Party committee in Hangzhou with one branch, a county officer who may
// register people in all of it, and a secretary of another township.
type importWorld struct {
	*env
	dataDir string
	orgs    map[string]domain.Org
	county  *authz.Actor
	other   *authz.Actor
}

func newImportWorld(t testing.TB, db *store.DB) *importWorld {
	t.Helper()
	keys, err := seal.New("std")
	if err != nil {
		t.Fatal(err)
	}
	clk := clock.NewFake(time.Date(2026, 11, 29, 9, 0, 0, 0, time.UTC))
	dir := t.TempDir()
	svc, err := service.New(db, service.Config{Clock: clk, Keys: keys, PasswordParams: auth.TestParams, DataDir: dir,
		Regions: func(code string) bool { _, ok := region.Lookup(code); return ok }})
	if err != nil {
		t.Fatal(err)
	}
	w := &importWorld{env: &env{svc: svc, db: db, clock: clk, keys: keys}, dataDir: dir, orgs: map[string]domain.Org{}}
	mk := func(key, parent, name, short string, side domain.Side, kind domain.OrgKind, region string) {
		in := service.NewOrg{Name: name, ShortName: short, Side: side, Kind: kind, RegionCode: region, FoundedOn: domain.NewDate(2005, 3, 1)}
		if parent != "" {
			in.ParentID = w.orgs[parent].ID
		}
		id, err := w.svc.BootstrapOrg(ctx, in)
		if err != nil {
			t.Fatalf("org %s: %v", key, err)
		}
		w.orgs[key], _ = store.OrgByID(ctx, db.Read(), id)
	}
	mk("county", "", "中共灌南县委员会", "灌南县委", domain.SideOrigin, domain.KindCommittee, "320724")
	mk("town", "county", "中共灌南县新安镇委员会", "新安镇党委", domain.SideOrigin, domain.KindCommittee, "320724100")
	mk("village", "town", "中共灌南县新安镇东风村支部委员会", "东风村党支部", domain.SideOrigin, domain.KindBranch, "320724100")
	mk("other", "county", "中共灌南县汤沟镇委员会", "汤沟镇党委", domain.SideOrigin, domain.KindCommittee, "320724104")
	mk("mobile", "county", "中共灌南县驻杭州流动党员委员会", "驻杭流动党委", domain.SideMobile, domain.KindCommittee, "330100")
	mk("mbranch", "mobile", "灌南县驻杭州流动党员第一支部", "驻杭一支部", domain.SideMobile, domain.KindBranch, "330106")
	grant := func(name, role, org string) *authz.Actor {
		id, err := w.svc.BootstrapAccount(ctx, service.NewAccount{Name: name, Password: goodPassword})
		if err != nil {
			t.Fatal(err)
		}
		if err := w.svc.BootstrapGrant(ctx, id, role, w.orgs[org].Name); err != nil {
			t.Fatal(err)
		}
		a, err := w.svc.ActorFor(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		return a
	}
	w.county = grant("county", authz.RoleCountyOfficer, "county")
	w.other = grant("tanggou", authz.RoleHomeSecretary, "other")
	return w
}

// idNumber builds a valid ID number: region, birth date YYYYMMDD and a
// sequence (odd for men), with its check character.
func idNumber(region, birth string, seq int) string {
	s := fmt.Sprintf("%s%s%03d", region, birth, seq)
	weights := []int{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}
	sum := 0
	for i, w := range weights {
		sum += int(s[i]-'0') * w
	}
	return s + string("10X98765432"[sum%11])
}

// fullWidth turns ASCII digits into full-width ones (０–９).
func fullWidth(s string) string {
	var b bytes.Buffer
	for _, r := range s {
		if r >= '0' && r <= '9' {
			r = r - '0' + '０'
		}
		b.WriteRune(r)
	}
	return b.String()
}

// The people of the township roster, by the row they stand on.
var (
	idZhang = idNumber("320724", "19900115", 131) // row 5, male
	idLi    = idNumber("320724", "19920304", 242) // row 6, female
	idWang  = idNumber("320724", "19851120", 353) // row 7, full-width digits
	idZhao  = idNumber("320724", "19880808", 464) // row 8, dates as Excel serials
	idSun   = idNumber("320724", "19950101", 575) // row 13, a branch nobody knows
)

// townshipXLSX is a roster as a township sends it: a merged title, a
// "填报单位" line, a two-row header with a merged 「联系方式」 group,
// dates as 2016.07, 2016年7月, 2016/7/21 and Excel serial cells,
// full-width digits, an ID number typed as a number (scientific), one
// with a wrong check character, a duplicate row, a branch that matches no
// organization, a blank row and footers. Rows 5–13 hold people: 9 data
// rows, of which 2 rejected and 1 duplicate, so 6 new.
func townshipXLSX(t *testing.T, phoneOfZhang string) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	s := "Sheet1"
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(f.SetSheetName(s, "新安镇"))
	s = "新安镇"
	must(f.SetCellValue(s, "A1", "灌南县新安镇外出务工人员花名册"))
	must(f.MergeCell(s, "A1", "P1"))
	must(f.SetCellValue(s, "A2", "填报单位：新安镇人民政府"))
	must(f.SetSheetRow(s, "A3", &[]any{"序号", "姓 名", "性别", "民族", "身份证号码（必填）", "联系方式", nil, "出生年月",
		"户籍地", "务工地", "工作单位", "统一社会信用代码", "行业", "外出时间", "政治面貌", "所在支部"}))
	must(f.SetSheetRow(s, "F4", &[]any{"手机", "固话"}))
	must(f.MergeCell(s, "F3", "G3"))
	for _, c := range []string{"A", "B", "C", "D", "E", "H", "I", "J", "K", "L", "M", "N", "O", "P"} {
		must(f.MergeCell(s, c+"3", c+"4"))
	}
	date, err := f.NewStyle(&excelize.Style{NumFmt: 14})
	must(err)
	month := `yyyy"年"m"月"`
	monthStyle, err := f.NewStyle(&excelize.Style{CustomNumFmt: &month})
	must(err)
	rows := [][]any{
		{1, "张伟", "男", "汉族", idZhang, phoneOfZhang, "0518-83001234", "1990.01", "灌南县新安镇东风村", "杭州市西湖区文三路100号",
			"杭州建工集团有限公司", "914403001922038216", "建筑业", "2016.07", "正式党员", "东风村党支部"},
		{2, "李娜", "女", "汉", idLi, "139 1234 5678", nil, "1992年3月", "新安镇", "浙江省杭州市", "杭州美食餐饮有限公司", nil, "H",
			"2016年7月", "群众", nil},
		{3, "王强", "男", "回族", fullWidth(idWang), fullWidth("13712345678"), nil, "1985/11/20", "灌南县新安镇", "杭州市拱墅区",
			nil, nil, "47", "2016/7/21", "预备党员", "驻杭一支部"},
		{4, "赵敏", "女", "汉族", idZhao, "13612345678、13512345678", nil, 32363, "新安镇", "苏州工业园区", nil, nil, "制造业",
			42572, "群众"},
		{5, "钱科", "男", "汉族", 3.20724199001011e17, "13412345678"},
		{6, "孙丽", "女", "汉族", idZhang[:17] + wrongCheck(idZhang), "13312345678"},
		{7, "张伟", "男", "汉族", idZhang, phoneOfZhang},
		{8, "周杰", "男", "汉族", idNumber("320724", "19930606", 685), "18912345678", nil, nil, "新安镇", "上海市浦东新区"},
		{9, "孙明", "男", "汉族", idSun, "18812345678", nil, nil, nil, nil, nil, nil, nil, "2016.7", "预备党员", "不存在的支部"},
	}
	for i, r := range rows {
		must(f.SetSheetRow(s, fmt.Sprintf("A%d", 5+i), &r))
	}
	must(f.SetCellStyle(s, "H8", "H8", date))
	must(f.SetCellStyle(s, "N8", "N8", monthStyle))
	// Row 14 stays blank; then the footers.
	must(f.SetCellValue(s, "A15", "合计：9人"))
	must(f.MergeCell(s, "A15", "P15"))
	must(f.SetCellValue(s, "A16", "填表人：赵六"))
	must(f.SetCellValue(s, "H16", "审核人：钱七"))
	buf, err := f.WriteToBuffer()
	must(err)
	return buf.Bytes()
}

// wrongCheck is a check character that is not the right one.
func wrongCheck(id string) string {
	if id[17] == '1' {
		return "2"
	}
	return "1"
}
