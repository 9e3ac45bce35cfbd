package roster

import (
	"reflect"
	"strings"
	"testing"
)

func TestNormLabel(t *testing.T) {
	for in, want := range map[string]string{
		"身份证号码（必填）":       "身份证号码",
		"身 份 证 号":         "身份证号",
		"*姓名：":            "姓名",
		"　姓\u00a0名\u200b": "姓名",
		"联系电话【11位】":       "联系电话",
		"出生日期(yyyy.mm":    "出生日期",
		"ＩＤ号":             "id号",
		"「备注」":            "备注",
		"《所在党组织》名称":       "名称",
		"（必填）":            "",
	} {
		if got := NormLabel(in); got != want {
			t.Errorf("NormLabel(%q) = %q, want %q", in, got, want)
		}
	}
}

// grid turns lines of |-separated cells into rows.
func grid(lines ...string) [][]string {
	rows := make([][]string, len(lines))
	for i, l := range lines {
		rows[i] = strings.Split(l, "|")
	}
	return rows
}

func TestFindHeader(t *testing.T) {
	tests := []struct {
		name      string
		rows      [][]string
		row       int
		first     int
		columns   map[string]int
		unmatched []string
		missing   []string
	}{
		{
			name: "title, unit line, one header row",
			rows: grid("新安镇流动党员花名册||||",
				"填报单位：新安镇党委|||填报日期：2026.3|",
				"序号|党员姓名|公民身份号码|入党时间|所在党支部",
				"1|张三|320724199001011234|2001.07|新安村党支部"),
			row: 2, first: 2,
			columns:   map[string]int{"name": 1, "id_number": 2, "joined_party": 3, "branch": 4},
			unmatched: []string{"序号"},
		},
		{
			name: "group header above sub-headers, others merged down",
			rows: grid("姓名|身份证号|联系方式||户籍地",
				"||手机|固话|",
				"张三|320724199001011234|13800138000|0518-83001234|新安镇"),
			row: 1, first: 0,
			columns:   map[string]int{"name": 0, "id_number": 1, "phone": 2, "hukou": 4},
			unmatched: []string{"联系方式/固话"},
		},
		{
			name: "group row above a full header row",
			rows: grid("基本信息|||联系方式|",
				"姓名|性别|身份证号|手机|固话",
				"张三|男|320724199001011234|13800138000|"),
			row: 1, first: 0,
			columns:   map[string]int{"name": 0, "sex": 1, "id_number": 2, "phone": 3},
			unmatched: []string{"联系方式/固话"},
		},
		{
			name: "the row under the header is data, not a second header",
			rows: grid("姓名|身份证号||备注",
				"张三|320724199001011234|x|手机"),
			row: 0, first: 0,
			columns: map[string]int{"name": 0, "id_number": 1, "note": 3},
		},
		{
			name: "a second column with a taken meaning, a required one missing",
			rows: grid("姓名|联系电话|手机号码|民族"),
			row:  0, first: 0,
			columns:   map[string]int{"name": 0, "phone": 1, "ethnicity": 3},
			unmatched: []string{"手机号码"},
			missing:   []string{"id_number"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, err := FindHeader(tt.rows, PersonFields)
			if err != nil {
				t.Fatal(err)
			}
			if m.Row != tt.row || m.First != tt.first || !reflect.DeepEqual(m.Columns, tt.columns) ||
				!reflect.DeepEqual(m.Unmatched, tt.unmatched) || !reflect.DeepEqual(m.Missing, tt.missing) {
				t.Errorf("got rows %d–%d columns %v unmatched %q missing %v", m.First, m.Row, m.Columns, m.Unmatched, m.Missing)
			}
		})
	}
}

func TestFindHeaderRefuses(t *testing.T) {
	late := make([][]string, 25)
	late[22] = []string{"姓名", "身份证号"}
	for name, rows := range map[string][][]string{
		"nothing":             nil,
		"data only":           grid("张三|320724199001011234", "李四|32072419900101123X"),
		"one label only":      grid("姓名|籍贯信息"),
		"header past row 20":  late,
		"labels in the title": grid("姓名、身份证号登记表"),
	} {
		t.Run(name, func(t *testing.T) {
			if _, err := FindHeader(rows, PersonFields); code(t, err) != CodeNoHeader {
				t.Errorf("got %v", err)
			}
		})
	}
	if m, err := FindHeader(grid("备注|姓名"), []Field{{Key: "name", Labels: []string{"姓名"}}}); err != nil || m.Columns["name"] != 1 {
		t.Errorf("a single wanted field: %+v %v", m, err)
	}
}

func TestIsFooter(t *testing.T) {
	for _, row := range [][]string{{"合计", "3人"}, {"", "填表人：赵六"}, {"审核人：钱七"}, {"注：身份证号请设置为文本格式"}, {"填报日期：2026年3月"}} {
		if !IsFooter(row) {
			t.Errorf("%q not a footer", row)
		}
	}
	for _, row := range [][]string{{"1", "张三"}, {"张三"}, {"", ""}, nil} {
		if IsFooter(row) {
			t.Errorf("%q taken for a footer", row)
		}
	}
}
