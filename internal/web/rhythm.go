package web

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"gongjian/internal/authz"
	"gongjian/internal/domain"
	"gongjian/internal/service"
)

// The rhythm of organizational life: the county's table (organizations ×
// recent periods, gaps highlighted, with its xlsx export and the latest
// gaps in words), the rules' editor for the county, and the section of an
// organization's page (partials/org_rhythm.html) that says plainly which
// meetings a period went without.

// spanLabel names a period: "2026年10月", "2026年第四季度", "2026年".
func spanLabel(l Localizer, sp domain.Span) string {
	t := sp.First.Time()
	switch sp.Period {
	case domain.Monthly:
		return l.T("web.rhythm.span.month", "Year", t.Year(), "Month", l.T("web.rhythm.month."+strconv.Itoa(int(t.Month()))))
	case domain.Quarterly:
		return l.T("web.rhythm.span.quarter", "Year", t.Year(), "Quarter", (int(t.Month())-1)/3+1)
	}
	return l.T("web.rhythm.span.year", "Year", t.Year())
}

func meetingKey(k domain.MeetingKind) string { return "meeting.kind." + string(k) }

// gapText says a gap in words: "2026年10月：未开展主题党日", or how many
// were held of how many when some were.
func gapText(l Localizer, sp domain.Span, k domain.MeetingKind, held, least int) string {
	return gapWords(l, spanLabel(l, sp), l.T(meetingKey(k)), held, least)
}

func gapWords(l Localizer, span, kind string, held, least int) string {
	if held == 0 {
		return l.T("web.rhythm.gap_none", "Span", span, "Kind", kind)
	}
	return l.T("web.rhythm.gap_short", "Span", span, "Kind", kind, "Held", held, "Min", least)
}

// dueText says an open period's reminder in words, with its last day.
func dueText(l Localizer, sp domain.Span, k domain.MeetingKind) string {
	return rhythmCellText(l, spanLabel(l, sp), l.T(meetingKey(k)), service.RhythmCell{Span: sp, State: service.CellDue}, 0)
}

// rhythmWords is one sentence about one organization.
type rhythmWords struct {
	OrgID domain.OrgID
	Org   string
	Text  string
	Due   bool
}

// rhythmPageData is the county's table page.
type rhythmPageData struct {
	Form      *Form
	Table     service.RhythmTable
	Kinds     []domain.MeetingKind
	Periods   []domain.Period
	Orgs      []orgOption
	CanRules  bool
	ExportURL string
	// Words are the gaps of the latest closed period and the reminders
	// due now, in sentences.
	Words []rhythmWords
	// Texts are the cells' sentences, row by row, said once per cell
	// (a county table has a thousand cells).
	Texts [][]string
}

// CellTitle is the sentence of row r's cell c.
func (d rhythmPageData) CellTitle(r, c int) string {
	if r < len(d.Texts) && c < len(d.Texts[r]) {
		return d.Texts[r][c]
	}
	return ""
}

// cellTexts says every cell of the table once, with the period labels and
// kind names looked up once each.
func cellTexts(l Localizer, t service.RhythmTable) [][]string {
	spans := make(map[string]string, len(t.Spans))
	for _, sp := range t.Spans {
		spans[sp.Key] = spanLabel(l, sp)
	}
	kinds := map[domain.MeetingKind]string{}
	out := make([][]string, len(t.Rows))
	for i, row := range t.Rows {
		kind, ok := kinds[row.Meeting]
		if !ok {
			kind = l.T(meetingKey(row.Meeting))
			kinds[row.Meeting] = kind
		}
		out[i] = make([]string, len(row.Cells))
		for j, c := range row.Cells {
			out[i][j] = rhythmCellText(l, spans[c.Span.Key], kind, c, row.Min)
		}
	}
	return out
}

// SpanShort is a period's column head: the month, the quarter or the
// year alone; SpanYear adds the year above the first column and where a
// year begins.
func (d rhythmPageData) SpanShort(l Localizer, sp domain.Span) string {
	t := sp.First.Time()
	switch sp.Period {
	case domain.Monthly:
		return l.T("web.rhythm.month_short." + strconv.Itoa(int(t.Month())))
	case domain.Quarterly:
		return l.T("web.rhythm.quarter_short", "Quarter", (int(t.Month())-1)/3+1)
	}
	return strconv.Itoa(t.Year())
}

// SpanYear is the year shown above column i, or "".
func (d rhythmPageData) SpanYear(i int, sp domain.Span) string {
	if sp.Period == domain.Yearly || (i > 0 && sp.First.Time().Month() != time.January) {
		return ""
	}
	return strconv.Itoa(sp.First.Time().Year())
}

// Columns is the table's number of columns.
func (d rhythmPageData) Columns() int { return len(d.Table.Spans) + 3 }

// SpanLabel names a period.
func (d rhythmPageData) SpanLabel(l Localizer, sp domain.Span) string { return spanLabel(l, sp) }

// MeetingKey is the catalogue key of a meeting kind.
func (d rhythmPageData) MeetingKey(k domain.MeetingKind) string { return meetingKey(k) }

// cellText is a cell's sentence, for its title and for screen readers,
// from the period's label and the kind's name.
func rhythmCellText(l Localizer, span, kind string, c service.RhythmCell, least int) string {
	switch c.State {
	case service.CellGap:
		return gapWords(l, span, kind, c.Held, least)
	case service.CellDue:
		return l.T("web.rhythm.due_text", "Span", span, "Kind", kind, "Last", c.Span.Last.String())
	case service.CellBefore:
		return l.T("web.rhythm.before_founding")
	}
	return l.T("web.rhythm.held_count", "Span", span, "Held", c.Held, "Min", least)
}

// rhythmFilter reads the table's filter from a query.
func rhythmFilter(q url.Values) (*Form, service.RhythmQuery) {
	f := blankForm()
	s := service.RhythmQuery{Period: domain.Period(q.Get("period")), Kind: domain.MeetingKind(q.Get("kind")), GapsOnly: q.Get("gaps") == "1"}
	if !s.Period.Valid() {
		s.Period = domain.Monthly
	}
	if !s.Kind.Valid() || s.Kind == domain.MeetingSitIn {
		s.Kind = ""
	}
	if n, err := strconv.ParseInt(q.Get("org"), 10, 64); err == nil && n > 0 {
		s.Org, f.Values["org"] = domain.OrgID(n), q.Get("org")
	}
	f.Values["period"], f.Values["kind"] = string(s.Period), string(s.Kind)
	if s.GapsOnly {
		f.Values["gaps"] = "1"
	}
	return f, s
}

// rhythmQuery is the query string of a filter.
func rhythmQuery(s service.RhythmQuery) string {
	q := url.Values{"period": {string(s.Period)}}
	if s.Kind != "" {
		q.Set("kind", string(s.Kind))
	}
	if s.Org != 0 {
		q.Set("org", strconv.FormatInt(int64(s.Org), 10))
	}
	if s.GapsOnly {
		q.Set("gaps", "1")
	}
	return q.Encode()
}

// rhythmKinds are the kinds a rule may name, in display order.
func rhythmKinds() []domain.MeetingKind {
	var out []domain.MeetingKind
	for _, k := range domain.MeetingKinds() {
		if k != domain.MeetingSitIn {
			out = append(out, k)
		}
	}
	return out
}

// mobileOptions are the mobile organizations of the filter's select.
func (h *Handler) mobileOptions(ctx context.Context, a *authz.Actor) ([]orgOption, error) {
	all, err := h.orgOptions(ctx, a)
	var out []orgOption
	for _, o := range all {
		if o.Side == domain.SideMobile {
			out = append(out, o)
		}
	}
	return out, err
}

func (h *Handler) rhythm(w http.ResponseWriter, r *http.Request) {
	ctx, v := r.Context(), h.visit(r)
	a := v.Principal.Actor
	if !canSomewhere(a, authz.OrgRead) {
		h.fail(w, r, domain.ErrForbidden)
		return
	}
	f, s := rhythmFilter(r.URL.Query())
	d := rhythmPageData{Form: f, Kinds: rhythmKinds(), Periods: []domain.Period{domain.Monthly, domain.Quarterly, domain.Yearly},
		ExportURL: "/rhythm/export.xlsx?" + rhythmQuery(s)}
	var err error
	if d.Table, err = h.svc.RhythmTable(ctx, a, s); err != nil {
		h.fail(w, r, err)
		return
	}
	if d.Orgs, err = h.mobileOptions(ctx, a); err != nil {
		h.fail(w, r, err)
		return
	}
	if d.CanRules, err = h.svc.CanSetRhythm(ctx, a); err != nil {
		h.fail(w, r, err)
		return
	}
	d.Words, d.Texts = rhythmSentences(v.L, d.Table), cellTexts(v.L, d.Table)
	h.render(w, r, http.StatusOK, "rhythm", "web.rhythm.title", d)
}

// rhythmSentences are the gaps of the table's latest closed period and the
// reminders due in the current one, one sentence each.
func rhythmSentences(l Localizer, t service.RhythmTable) []rhythmWords {
	n := len(t.Spans)
	if n == 0 {
		return nil
	}
	var out []rhythmWords
	for _, row := range t.Rows {
		for i := max(n-2, 0); i < n; i++ {
			c := row.Cells[i]
			switch c.State {
			case service.CellGap:
				out = append(out, rhythmWords{OrgID: row.Org.ID, Org: row.Org.Name, Text: gapText(l, c.Span, row.Meeting, c.Held, row.Min)})
			case service.CellDue:
				out = append(out, rhythmWords{OrgID: row.Org.ID, Org: row.Org.Name, Text: dueText(l, c.Span, row.Meeting), Due: true})
			}
		}
	}
	return out
}

// rhythmXLSX exports the table: one row per organization and rule, one
// column per period with "held/required", and the count of gaps.
func (h *Handler) rhythmXLSX(w http.ResponseWriter, r *http.Request) {
	ctx, l := r.Context(), h.visit(r).L
	a := h.principal(r).Actor
	if !canSomewhere(a, authz.OrgRead) {
		h.fail(w, r, domain.ErrForbidden)
		return
	}
	_, s := rhythmFilter(r.URL.Query())
	t, err := h.svc.RhythmTable(ctx, a, s)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	header := []string{l.T("web.org.name"), l.T("web.org.kind"), l.T("web.rhythm.meeting"), l.T("web.rhythm.min")}
	for _, sp := range t.Spans {
		header = append(header, spanLabel(l, sp))
	}
	header = append(header, l.T("web.rhythm.gaps"))
	rows := make([][]string, 0, len(t.Rows))
	for _, row := range t.Rows {
		line := []string{row.Org.Name, l.T("org.kind." + string(row.Org.Kind)), l.T(meetingKey(row.Meeting)), strconv.Itoa(row.Min)}
		for _, c := range row.Cells {
			cell := strconv.Itoa(c.Held)
			switch c.State {
			case service.CellBefore:
				cell = ""
			case service.CellGap:
				cell += " " + l.T("web.rhythm.cell_gap")
			case service.CellDue:
				cell += " " + l.T("web.rhythm.cell_due")
			}
			line = append(line, cell)
		}
		rows = append(rows, append(line, strconv.Itoa(row.Gaps)))
	}
	stamp := h.svc.Now().In(shanghai).Format("20060102-1504")
	h.sendXLSX(w, r, l.T("web.rhythm.export_sheet"), "rhythm-"+string(s.Period)+"-"+stamp+".xlsx",
		l.T("web.rhythm.export_filename", "Stamp", stamp)+".xlsx", header, rows)
}

// orgRhythmView is the rhythm and attendance section of an organization's
// page (partials/org_rhythm.html).
type orgRhythmView struct {
	OrgID      domain.OrgID
	Rhythm     service.OrgRhythm
	Attendance service.OrgAttendance
}

// SpanLabel names a period.
func (v orgRhythmView) SpanLabel(l Localizer, sp domain.Span) string { return spanLabel(l, sp) }

// MeetingKey is the catalogue key of a meeting kind.
func (v orgRhythmView) MeetingKey(k domain.MeetingKind) string { return meetingKey(k) }

// GapText says a gap in words.
func (v orgRhythmView) GapText(l Localizer, g domain.Gap) string {
	return gapText(l, g.Span, g.Meeting, g.Held, g.Min)
}

// Stats is the attendance tally for its template.
func (v orgRhythmView) Stats(l Localizer) statsView { return statsView{L: l, T: v.Attendance.Tally} }

// orgRhythmFor reads the section for an organization's page, or nil.
func (h *Handler) orgRhythmFor(ctx context.Context, a *authz.Actor, id domain.OrgID) (*orgRhythmView, error) {
	v := &orgRhythmView{OrgID: id}
	var err error
	if v.Rhythm, err = h.svc.OrgRhythm(ctx, a, id); err != nil {
		return nil, err
	}
	if v.Attendance, err = h.svc.OrgAttendance(ctx, a, id, service.AttendanceRange{}, false); err != nil {
		return nil, err
	}
	// Nothing to say where no rule binds and nobody attended anything
	// (a host organization, a township): the section stays out.
	if !v.Rhythm.Applies && v.Attendance.Tally.Expected == 0 {
		return nil, nil
	}
	return v, nil
}

// ruleRow is one rule on the editor, as typed.
type ruleRow struct {
	Index                            int
	Meeting, Period, Min, Full, Lead string
	Kinds                            map[domain.OrgKind]bool
	Verified                         bool
	New                              bool
}

// Number is the row's number as the rules' messages name it.
func (r ruleRow) Number() int { return r.Index + 1 }

// rhythmRulesData is the rules' editor.
type rhythmRulesData struct {
	Rows     []ruleRow
	Error    string
	Meetings []domain.MeetingKind
	OrgKinds []domain.OrgKind
	Periods  []domain.Period
}

// Count is the number of rows the form posts.
func (d rhythmRulesData) Count() int { return len(d.Rows) }

// partyKinds are the organization kinds a rule may bind.
func partyKinds() []domain.OrgKind {
	return []domain.OrgKind{domain.KindCommittee, domain.KindGeneralBranch, domain.KindBranch, domain.KindGroup}
}

func newRulesData(rows []ruleRow) rhythmRulesData {
	return rhythmRulesData{Rows: rows, Meetings: rhythmKinds(), OrgKinds: partyKinds(),
		Periods: []domain.Period{domain.Monthly, domain.Quarterly, domain.Yearly}}
}

// rowsOfRules are the editor's rows for a table, with a blank row to add.
func rowsOfRules(rules []domain.RhythmRule) []ruleRow {
	out := make([]ruleRow, 0, len(rules)+1)
	for i, r := range rules {
		row := ruleRow{Index: i, Meeting: string(r.Meeting), Period: string(r.Period), Min: strconv.Itoa(r.Min),
			Full: strconv.Itoa(r.MinFull), Lead: strconv.Itoa(r.Lead), Kinds: map[domain.OrgKind]bool{}, Verified: r.Verified}
		for _, k := range r.OrgKinds {
			row.Kinds[k] = true
		}
		out = append(out, row)
	}
	return append(out, ruleRow{Index: len(rules), Period: string(domain.Monthly), Min: "1", Full: "0", Lead: "7",
		Kinds: map[domain.OrgKind]bool{}, New: true})
}

func (h *Handler) rhythmRules(w http.ResponseWriter, r *http.Request) {
	ctx, a := r.Context(), h.principal(r).Actor
	if ok, err := h.svc.CanSetRhythm(ctx, a); err != nil || !ok {
		h.fail(w, r, orForbidden(err))
		return
	}
	rules, err := h.svc.RhythmRules(ctx)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.render(w, r, http.StatusOK, "rhythm_rules", "web.rhythm.rules_title", newRulesData(rowsOfRules(rules)))
}

// readRules reads the editor's rows: a row marked for removal and the
// blank row left blank are dropped; numbers that do not parse are refused
// with the row's number.
func readRhythmRules(r *http.Request) ([]ruleRow, []domain.RhythmRule, error) {
	n, _ := strconv.Atoi(r.PostFormValue("rows"))
	n = min(max(n, 0), 100)
	var rows []ruleRow
	var rules []domain.RhythmRule
	var err error
	for i := range n {
		p := func(k string) string { return strings.TrimSpace(r.PostFormValue(k + "_" + strconv.Itoa(i))) }
		row := ruleRow{Index: i, Meeting: p("meeting"), Period: p("period"), Min: p("min"), Full: p("full"), Lead: p("lead"),
			Kinds: map[domain.OrgKind]bool{}, Verified: p("verified") == "1", New: p("new") == "1"}
		for _, k := range r.PostForm["kinds_"+strconv.Itoa(i)] {
			row.Kinds[domain.OrgKind(k)] = true
		}
		if p("remove") == "1" || (row.New && row.Meeting == "") {
			continue
		}
		rows = append(rows, row)
		rule := domain.RhythmRule{Meeting: domain.MeetingKind(row.Meeting), Period: domain.Period(row.Period), Verified: row.Verified}
		for _, k := range partyKinds() {
			if row.Kinds[k] {
				rule.OrgKinds = append(rule.OrgKinds, k)
			}
		}
		nums := []struct {
			s   string
			out *int
		}{{row.Min, &rule.Min}, {row.Full, &rule.MinFull}, {row.Lead, &rule.Lead}}
		for _, x := range nums {
			v, perr := strconv.Atoi(x.s)
			if perr != nil && err == nil {
				err = domain.Invalid("rules", "web.rhythm.number_invalid", map[string]any{"Row": len(rows)})
			}
			*x.out = v
		}
		rules = append(rules, rule)
	}
	return rows, rules, err
}

func (h *Handler) saveRhythmRules(w http.ResponseWriter, r *http.Request) {
	v := h.visit(r)
	rows, rules, err := readRhythmRules(r)
	if err == nil {
		err = h.svc.SetRhythmRules(r.Context(), v.Principal.Actor, rules)
	}
	if err != nil {
		if !formError(err) {
			h.fail(w, r, err)
			return
		}
		for i := range rows {
			rows[i].Index, rows[i].New = i, false
		}
		d := newRulesData(append(rows, rowsOfRules(nil)[0]))
		d.Rows[len(d.Rows)-1].Index = len(d.Rows) - 1
		d.Error = v.L.Err(err)
		h.renderAt(w, r, "/rhythm/rules", StatusOf(domain.CodeOf(err)), "rhythm_rules", "web.rhythm.rules_title", d)
		return
	}
	h.flash(w, "flash.saved")
	redirect(w, r, "/rhythm")
}

// resetRhythmRules puts the rules of party-rules.md §3 back.
func (h *Handler) resetRhythmRules(w http.ResponseWriter, r *http.Request) {
	if err := h.svc.SetRhythmRules(r.Context(), h.principal(r).Actor, domain.DefaultRhythm()); err != nil {
		h.fail(w, r, err)
		return
	}
	h.flash(w, "flash.saved")
	redirect(w, r, "/rhythm/rules")
}
