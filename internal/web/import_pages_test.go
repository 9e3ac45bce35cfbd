package web

import (
	"gongjian/internal/domain"
	"gongjian/internal/service"
	"gongjian/internal/store"
)

func init() { moreSamples = append(moreSamples, importSamples) }

// importSamples are the import pages in each state a session passes
// through.
func importSamples() map[string][]any {
	sha := "26fa8c4da437413f705c7f872883c123b92093766190c5a2837e9c021031cde1"
	counts := service.ImportCounts{Total: 9, New: 6, Duplicates: 1, Rejected: 2, Warned: 2}
	pv := service.ImportPreview{SHA256: sha, FileName: "新安镇花名册.xlsx", Size: 7644, Format: "xlsx", Sheets: []string{"新安镇"},
		Mode: service.ImportUpdate, Origin: 2, OriginName: "中共灌南县新安镇委员会", Counts: counts,
		Columns: []service.ImportColumn{{Sheet: "新安镇", Column: "E", Header: "身份证号码（必填）", Field: "id_number"},
			{Sheet: "新安镇", Column: "F", Header: "联系方式/手机", Field: "phone"}},
		Unmatched: []string{"序号", "联系方式/固话"},
		Rejected: []service.ImportIssue{{Sheet: "新安镇", Row: 9, Column: "身份证号码（必填）", MsgID: "check.id.scientific", Name: "钱科"},
			{Row: 10, Column: "身份证号码（必填）", MsgID: "check.id.check", Args: map[string]any{"got": "1", "want": "6"}, Name: "<script>"}},
		Warnings: []service.ImportIssue{{Row: 11, Column: "身份证号码", MsgID: "import.duplicate", Args: map[string]any{"First": 5.0}},
			{Sheet: "二镇", MsgID: "import.sheet_skipped"}},
		Truncated: true}
	session := func(state string, mutate func(*service.ImportSession)) importSessionData {
		s := service.ImportSession{ImportPreview: pv, State: state, ActorName: "zhangsan", CreatedAt: at, UpdatedAt: at, HasReport: true}
		if mutate != nil {
			mutate(&s)
		}
		return importSessionData{S: s, CanClear: state == store.ImportPreviewed}
	}
	return map[string][]any{
		"import": {
			importData{Form: form(map[string]string{"mode": "update", "origin_org": "2"}, map[string]string{"file": "文件已损坏"}, ""),
				Origins: []domain.Org{{ID: 2, Name: "中共灌南县新安镇委员会"}}, MaxMB: MaxImportMB,
				Sessions: []service.ImportSession{session(store.ImportDone, nil).S, session(store.ImportFailed, nil).S}},
			importData{Form: form(map[string]string{"mode": "skip"}, nil, "无权导入"), MaxMB: MaxImportMB},
		},
		"import_session": {
			session(store.ImportPreviewed, nil),
			session(store.ImportCommitting, func(s *service.ImportSession) { s.Done, s.Total = 4000, 9000 }),
			session(store.ImportDone, func(s *service.ImportSession) { s.FinishedAt, s.Counts.Skipped, s.Mode = &later, 1, service.ImportSkip }),
			session(store.ImportFailed, func(s *service.ImportSession) { s.Error = "import.roster.too_big"; s.Rejected = nil }),
			session(store.ImportFailed, func(s *service.ImportSession) { s.Error = "import.roster.corrupt"; s.Columns = nil }),
			session(store.ImportDone, func(s *service.ImportSession) {
				s.AlreadyDone = &service.ImportDone{At: at, By: "lisi", Counts: counts}
			}),
		},
	}
}
