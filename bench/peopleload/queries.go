package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/url"
	"strconv"
	"sync"
	"time"
	"unicode/utf8"

	"gongjian/internal/demo"
)

// request is one query as sent.
type request struct {
	method, path string
	body         []byte
	key          string // list pages: the org and status, to keep their cursors
}

// kind is one kind of query: next draws a request; seen, when set, looks
// at a successful answer (to keep cursors for later pages).
type kind struct {
	name string
	next func(r *rand.Rand) request
	seen func(q request, body []byte)
}

// kindNames are the kinds in the order a run measures them.
func kindNames() []string {
	return []string{"get", "list", "surname", "name", "initials", "idnumber", "counts-org", "counts-city"}
}

// person is what the sample keeps of a person.
type person struct {
	ID       int64  `json:"id"`
	Name     string `json:"name"`
	Initials string `json:"initials"`
}

type org struct {
	ID   int64  `json:"id"`
	Side string `json:"side"`
}

// samples are the values queries are drawn from.
type samples struct {
	people   []person
	surnames []string // one per sampled person: common surnames come up as often as they are
	orgs     []org    // origin and mobile organizations in scope
	total    int      // people the generator made
	cursors  sync.Map // list key → *cursorPool
}

// sample reads, through the API and with the token's own scope, the
// organizations it sees and up to 500 people for each initial letter a–z
// (the pinyin search): people of every surname, not only those early in
// the alphabet.
func sample(ctx context.Context, c *client, total int, seed uint64) (*samples, error) {
	s := &samples{total: total}
	// The server may still be starting: wait up to a minute for it.
	status, body, err := c.do(ctx, http.MethodGet, "/api/v1/orgs", nil)
	for wait := time.Now().Add(time.Minute); err != nil && time.Now().Before(wait); {
		time.Sleep(200 * time.Millisecond)
		status, body, err = c.do(ctx, http.MethodGet, "/api/v1/orgs", nil)
	}
	if err := answer("orgs", status, body, err); err != nil {
		return nil, err
	}
	var ol struct{ Orgs []org }
	if err := json.Unmarshal(body, &ol); err != nil {
		return nil, err
	}
	for _, o := range ol.Orgs {
		if o.Side != "host" {
			s.orgs = append(s.orgs, o)
		}
	}
	for l := 'a'; l <= 'z'; l++ {
		q, _ := json.Marshal(map[string]any{"text": string(l), "limit": 500})
		status, body, err := c.do(ctx, http.MethodPost, "/api/v1/people/search", q)
		if err := answer("search", status, body, err); err != nil {
			return nil, err
		}
		var pl struct{ People []person }
		if err := json.Unmarshal(body, &pl); err != nil {
			return nil, err
		}
		s.people = append(s.people, pl.People...)
	}
	if len(s.people) == 0 || len(s.orgs) == 0 {
		return nil, fmt.Errorf("the token sees no people or no organizations: seed the database first")
	}
	r := rand.New(rand.NewPCG(seed, 0))
	r.Shuffle(len(s.people), func(i, j int) { s.people[i], s.people[j] = s.people[j], s.people[i] })
	for _, p := range s.people {
		first, _ := utf8.DecodeRuneInString(p.Name)
		s.surnames = append(s.surnames, string(first))
	}
	return s, nil
}

func answer(what string, status int, body []byte, err error) error {
	if err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	if status != http.StatusOK {
		return fmt.Errorf("%s: status %d: %s", what, status, body)
	}
	return nil
}

func search(text string) request {
	b, _ := json.Marshal(map[string]any{"text": text, "limit": 50})
	return request{method: http.MethodPost, path: "/api/v1/people/search", body: b}
}

var listStatuses = []string{"", "", "", "", "full", "full", "full", "probationary", "activist", "applicant"}

// kind returns the query kind of that name, drawing from the samples.
func (s *samples) kind(name string) (kind, bool) {
	pick := func(r *rand.Rand) person { return s.people[r.IntN(len(s.people))] }
	switch name {
	case "get":
		return kind{name: name, next: func(r *rand.Rand) request {
			return request{method: http.MethodGet, path: "/api/v1/people/" + strconv.FormatInt(pick(r).ID, 10)}
		}}, true
	case "list":
		return kind{name: name, next: s.listPage, seen: s.keepCursor}, true
	case "surname":
		return kind{name: name, next: func(r *rand.Rand) request { return search(s.surnames[r.IntN(len(s.surnames))]) }}, true
	case "name":
		return kind{name: name, next: func(r *rand.Rand) request { return search(namepart(r, pick(r).Name)) }}, true
	case "initials":
		return kind{name: name, next: func(r *rand.Rand) request {
			in := pick(r).Initials
			if len(in) > 2 && r.IntN(2) == 0 {
				in = in[:2]
			}
			return search(in)
		}}, true
	case "idnumber":
		return kind{name: name, next: func(r *rand.Rand) request { return search(demo.DemoIDNumber(r.IntN(s.total))) }}, true
	case "counts-org", "counts-city":
		by := name[len("counts-"):]
		return kind{name: name, next: func(*rand.Rand) request {
			return request{method: http.MethodGet, path: "/api/v1/people/counts?by=" + by}
		}}, true
	}
	return kind{}, false
}

// namepart is what an officer types to find someone: the full name, the
// surname and the first character of the given name, or the given name.
func namepart(r *rand.Rand, name string) string {
	rs := []rune(name)
	switch {
	case len(rs) < 3:
		return name
	case r.IntN(3) == 0:
		return string(rs[:2])
	case r.IntN(2) == 0:
		return string(rs[1:])
	}
	return name
}

// listPage is an organization's people with one status (or all), in
// pinyin order: mostly the first page, now and then a later one through a
// cursor an earlier answer gave.
func (s *samples) listPage(r *rand.Rand) request {
	o := s.orgs[r.IntN(len(s.orgs))]
	st := listStatuses[r.IntN(len(listStatuses))]
	key := strconv.FormatInt(o.ID, 10) + "/" + st
	v := url.Values{"org": {strconv.FormatInt(o.ID, 10)}, "limit": {"50"}}
	if st != "" {
		v.Set("status", st)
	}
	if r.IntN(4) == 0 {
		if p, ok := s.cursors.Load(key); ok {
			if c := p.(*cursorPool).pick(r); c != "" {
				v.Set("after", c)
			}
		}
	}
	return request{method: http.MethodGet, path: "/api/v1/people?" + v.Encode(), key: key}
}

// keepCursor keeps the next-page cursor of a list answer.
func (s *samples) keepCursor(q request, body []byte) {
	const field = `"next":"`
	i := bytes.Index(body, []byte(field))
	if i < 0 {
		return
	}
	rest := body[i+len(field):]
	j := bytes.IndexByte(rest, '"')
	if j < 0 {
		return
	}
	p, _ := s.cursors.LoadOrStore(q.key, &cursorPool{})
	p.(*cursorPool).add(string(rest[:j]))
}

// cursorPool keeps a few cursors of one list.
type cursorPool struct {
	mu   sync.Mutex
	list []string
}

func (p *cursorPool) add(c string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if len(p.list) < 8 {
		p.list = append(p.list, c)
	}
}

func (p *cursorPool) pick(r *rand.Rand) string {
	p.mu.Lock()
	defer p.mu.Unlock()
	if len(p.list) == 0 {
		return ""
	}
	return p.list[r.IntN(len(p.list))]
}
