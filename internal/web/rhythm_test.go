package web

import (
	"testing"

	"gongjian/internal/domain"
	"gongjian/internal/i18n"
	"gongjian/internal/service"
)

// A gap reads as a plain sentence with its month, in both languages, and
// the county's words list the latest closed period's gaps and the due
// reminders of the current one only.
func TestGapsInWords(t *testing.T) {
	b, err := i18n.New()
	if err != nil {
		t.Fatal(err)
	}
	zh, en := b.For(i18n.ZhCN), b.For(i18n.En)
	oct := domain.SpanOf(domain.Monthly, domain.NewDate(2026, 10, 9))
	q3 := domain.SpanOf(domain.Quarterly, domain.NewDate(2026, 8, 1))
	for _, c := range []struct {
		l    Localizer
		got  string
		want string
	}{
		{zh, gapText(zh, oct, domain.MeetingThemeDay, 0, 1), "2026年10月：未开展主题党日"},
		{en, gapText(en, oct, domain.MeetingThemeDay, 0, 1), "October 2026: no Theme Party day held"},
		{zh, gapText(zh, q3, domain.MeetingLecture, 1, 2), "2026年第3季度：党课只开展 1 次，应至少 2 次"},
		{zh, spanLabel(zh, domain.SpanOf(domain.Yearly, oct.First)), "2026年"},
		{en, dueText(en, oct, domain.MeetingAssembly), "October 2026: no Branch general meeting held yet; the period ends on 2026-10-31"},
	} {
		if c.got != c.want {
			t.Errorf("got %q, want %q", c.got, c.want)
		}
	}
	months := domain.Spans(domain.Monthly, domain.NewDate(2026, 8, 1), domain.NewDate(2026, 10, 20))
	row := service.RhythmRow{Org: domain.Org{ID: 9, Name: "驻杭州第三支部"}, Meeting: domain.MeetingThemeDay, Min: 1,
		Cells: []service.RhythmCell{{Span: months[0], State: service.CellGap}, {Span: months[1], State: service.CellGap},
			{Span: months[2], State: service.CellDue}}}
	words := rhythmSentences(zh, service.RhythmTable{Spans: months, Rows: []service.RhythmRow{row}})
	if len(words) != 2 || words[0].Text != "2026年9月：未开展主题党日" || !words[1].Due || words[1].OrgID != 9 {
		t.Fatalf("words %+v", words)
	}
}
