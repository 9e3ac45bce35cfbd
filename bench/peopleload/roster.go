package main

import (
	"bufio"
	"context"
	"encoding/csv"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"strings"
	"time"

	"gongjian/internal/authz"
	"gongjian/internal/domain"
	"gongjian/internal/region"
	"gongjian/internal/store"
)

// The roster subcommand seeds a database for the benchmark until the demo
// generates its own people: it reads the organizations of a database that
// holds the Guannan demo and writes a roster of N people as CSV files for
// `gongjian import persons`, so that the people go in through the
// service's own bulk path (validation, sealing, blind indexes, pinyin).
// Person i always gets the same name, ID number and places, so a run can
// look people up by their clear ID number (idNumber) without reading them
// back.

// rosterPart is the most rows one file holds: the roster reader refuses a
// sheet of more than a million rows, the header included.
const rosterPart = 500_000

func rosterCmd(args []string) error {
	fs := flag.NewFlagSet("roster", flag.ExitOnError)
	dsn := fs.String("db", "", "the database holding the demo organizations (sqlite:PATH or postgres://…)")
	n := fs.Int("people", 200_000, "people to generate")
	out := fs.String("out", "roster", "file name prefix: PREFIX-1.csv, PREFIX-2.csv …")
	fs.Parse(args)
	ctx := context.Background()
	db, err := store.Open(ctx, *dsn)
	if err != nil {
		return err
	}
	defer db.Close()
	orgs, err := store.ListOrgs(ctx, db.Read(), store.OrgQuery{Read: authz.OrgFilter{Prefixes: []string{"/"}}, Status: domain.StatusActive})
	if err != nil {
		return err
	}
	g, err := newGenerator(orgs)
	if err != nil {
		return err
	}
	for part := 0; part*rosterPart < *n; part++ {
		name := fmt.Sprintf("%s-%d.csv", *out, part+1)
		if err := g.write(name, part*rosterPart, min(*n, (part+1)*rosterPart)); err != nil {
			return err
		}
		fmt.Println(name)
	}
	return nil
}

// generator turns a person number into a roster row.
type generator struct {
	villages []domain.Org // origin branches: where workers come from
	mobiles  []domain.Org // mobile Party organizations: where members take part
	places   map[domain.OrgID]string
	cities   []string // work places of people outside the mobile organizations
}

func newGenerator(orgs []domain.Org) (*generator, error) {
	g := &generator{places: map[domain.OrgID]string{}}
	for _, o := range orgs {
		switch {
		case o.Side == domain.SideOrigin && o.Kind == domain.KindBranch:
			g.villages = append(g.villages, o)
		case o.Side == domain.SideMobile && (o.Kind == domain.KindBranch || o.Kind == domain.KindCommittee || o.Kind == domain.KindGeneralBranch):
			g.mobiles = append(g.mobiles, o)
			g.places[o.ID] = placeName(o.RegionCode)
			if p := g.places[o.ID]; p != "" && !containsString(g.cities, p) {
				g.cities = append(g.cities, p)
			}
		}
	}
	if len(g.villages) == 0 || len(g.mobiles) == 0 {
		return nil, fmt.Errorf("roster: the database has no origin branches or no mobile organizations; load the demo first")
	}
	g.cities = append(g.cities, "南京市江宁区", "连云港市海州区", "深圳市宝安区", "广州市白云区", "宁波市鄞州区")
	return g, nil
}

func containsString(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// placeName is the written name of a district: prefecture and county
// ("杭州市拱墅区"), or the municipality and its district.
func placeName(code string) string {
	var parts []string
	for _, r := range region.Path(code) {
		if r.Level != region.Province || strings.HasSuffix(r.Name, "市") {
			parts = append(parts, r.Name)
		}
	}
	return strings.Join(parts, "")
}

var rosterHeader = []string{"姓名", "性别", "身份证号码", "手机号码", "户籍地", "务工地", "工作单位", "行业", "外出时间", "政治面貌", "所在支部"}

func (g *generator) write(name string, from, to int) error {
	f, err := os.Create(name)
	if err != nil {
		return err
	}
	defer f.Close()
	bw := bufio.NewWriterSize(f, 1<<20)
	w := csv.NewWriter(bw)
	w.Write(rosterHeader)
	for i := from; i < to; i++ {
		w.Write(g.row(i))
	}
	w.Flush()
	if err := w.Error(); err != nil {
		return err
	}
	if err := bw.Flush(); err != nil {
		return err
	}
	return f.Close()
}

var (
	statuses   = []string{"正式党员", "正式党员", "正式党员", "正式党员", "正式党员", "预备党员", "发展对象", "入党积极分子", "入党申请人"}
	industries = []string{"E", "C", "H", "F", "G", "O", "S", "K", "I", "L"}
	employers  = []string{"杭州建工集团有限公司", "苏州工业园区精密制造有限公司", "青岛港湾物流有限公司", "无锡市新吴区电子科技有限公司",
		"上海浦东餐饮管理有限公司", "连云港市海州区建筑安装有限公司", "深圳宝安电子厂", "南京江宁汽车配件有限公司", "个体经营", "灵活就业"}
)

// row is person i: three in ten are Party members or in the line of
// development, half of them placed in a mobile organization (the import
// makes the default origin their origin), the rest in their village
// branch; the others are workers from a village.
func (g *generator) row(i int) []string {
	r := rand.New(rand.NewPCG(uint64(i), 0x9e3779b97f4a7c15))
	id := idNumber(i)
	sex := "女"
	if (id[16]-'0')%2 == 1 {
		sex = "男"
	}
	village := g.villages[r.IntN(len(g.villages))]
	status, branch, place := "群众", village.Name, g.cities[r.IntN(len(g.cities))]
	if r.IntN(10) < 3 {
		status = statuses[r.IntN(len(statuses))]
		if r.IntN(2) == 0 {
			m := g.mobiles[r.IntN(len(g.mobiles))]
			branch = m.Name
			if p := g.places[m.ID]; p != "" {
				place = p
			}
		}
	}
	out := time.Date(2010, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, r.IntN(5000)).Format("2006-01-02")
	return []string{personName(r), sex, id, fmt.Sprintf("139%08d", i), "江苏省连云港市灌南县", place,
		employers[r.IntN(len(employers))], industries[r.IntN(len(industries))], out, status, branch}
}

// idNumber is the ID number of person i: a Guannan birthplace, a birth
// date i%16000 days after 1960-01-01 and a sequence that makes every i up
// to 16 million distinct, with its check character.
func idNumber(i int) string {
	birth := time.Date(1960, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, i%16000)
	s := fmt.Sprintf("320724%s%03d", birth.Format("20060102"), 101+(i/16000)*10+i%2)
	weights := [17]int{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}
	sum := 0
	for k, w := range weights {
		sum += int(s[k]-'0') * w
	}
	return s + string("10X98765432"[sum%11])
}

// surnames are common surnames with rough weights (per thousand people),
// so that a search by surname meets realistic numbers of hits: a few of
// them are very common, most are rare.
var surnames = []struct {
	s string
	w int
}{
	{"王", 71}, {"李", 69}, {"张", 64}, {"刘", 54}, {"陈", 45}, {"杨", 31}, {"黄", 22}, {"赵", 20}, {"吴", 19}, {"周", 19},
	{"徐", 14}, {"孙", 14}, {"马", 13}, {"朱", 12}, {"胡", 11}, {"郭", 11}, {"何", 10}, {"林", 10}, {"高", 10}, {"罗", 9},
	{"郑", 9}, {"梁", 8}, {"谢", 7}, {"宋", 7}, {"唐", 7}, {"许", 6}, {"韩", 6}, {"邓", 6}, {"冯", 6}, {"曹", 6},
	{"彭", 5}, {"曾", 5}, {"肖", 5}, {"田", 5}, {"董", 5}, {"潘", 4}, {"袁", 4}, {"蔡", 4}, {"蒋", 4}, {"余", 4},
	{"于", 4}, {"杜", 4}, {"叶", 4}, {"程", 4}, {"魏", 3}, {"苏", 3}, {"吕", 3}, {"丁", 3}, {"任", 3}, {"卢", 3},
	{"姚", 3}, {"沈", 3}, {"钟", 3}, {"姜", 3}, {"崔", 3}, {"谭", 3}, {"陆", 3}, {"范", 2}, {"汪", 2}, {"廖", 2},
	{"石", 2}, {"金", 2}, {"韦", 2}, {"贾", 2}, {"夏", 2}, {"付", 2}, {"方", 2}, {"邹", 2}, {"熊", 2}, {"白", 2},
	{"孟", 2}, {"秦", 2}, {"邱", 2}, {"侯", 2}, {"江", 2}, {"尹", 2}, {"薛", 2}, {"闫", 2}, {"段", 2}, {"雷", 2},
	{"单", 1}, {"邵", 1}, {"仇", 1}, {"欧阳", 1}, {"司马", 1}, {"诸葛", 1}, {"葛", 1}, {"解", 1}, {"查", 1}, {"翟", 1},
}

// given are characters of given names.
const given = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红梅建国文辉鹏飞斌波宇浩凯健俊帆帅旭宁龙林" +
	"春海燕雪琳晶婷颖玲倩莉云峰亮成志新东海荣昌德兴福贵祥瑞翠凤金银宝珍蓉娥慧巧美淑惠家庆德永长松柏"

var surnameTotal = func() int {
	t := 0
	for _, s := range surnames {
		t += s.w
	}
	return t
}()

func personName(r *rand.Rand) string {
	k := r.IntN(surnameTotal)
	s := surnames[0].s
	for _, x := range surnames {
		if k < x.w {
			s = x.s
			break
		}
		k -= x.w
	}
	g := []rune(given)
	name := s + string(g[r.IntN(len(g))])
	if r.IntN(10) < 7 {
		name += string(g[r.IntN(len(g))])
	}
	return name
}
