package cli

import (
	"errors"
	"fmt"
	"sort"
	"strings"

	"gongjian/internal/domain"
)

// Exit statuses.
const (
	exitOK      = 0
	exitFailure = 1 // something failed at run time
	exitUsage   = 2 // the command or its configuration must change
)

// failure is an error for the operator: a message of the cli catalogue
// (which says what is wrong and how to fix it), its arguments, and the
// exit status. Arguments that are errors are rendered at print time, in
// the language chosen by then.
type failure struct {
	status int
	msgID  string
	args   map[string]any
}

func (f *failure) Error() string {
	keys := make([]string, 0, len(f.args))
	for k := range f.args {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b strings.Builder
	b.WriteString(f.msgID)
	for _, k := range keys {
		fmt.Fprintf(&b, " %s=%v", k, f.args[k])
	}
	return b.String()
}

func newFailure(status int, msgID string, kv []any) *failure {
	args := make(map[string]any, len(kv)/2)
	for i := 0; i+1 < len(kv); i += 2 {
		args[fmt.Sprint(kv[i])] = kv[i+1]
	}
	return &failure{status: status, msgID: msgID, args: args}
}

// usageError is a failure the operator fixes by changing the command.
func usageError(msgID string, kv ...any) *failure { return newFailure(exitUsage, msgID, kv) }

// runtimeError is a failure of the world: a server down, a port taken.
func runtimeError(msgID string, kv ...any) *failure { return newFailure(exitFailure, msgID, kv) }

// refused wraps an error of a use case: input the service turned down
// (a weak password, an unknown role) is bad usage; anything else is a
// failure at run time. The message carries the reason as Reason.
func refused(msgID string, err error, kv ...any) *failure {
	status := exitFailure
	switch domain.CodeOf(err) {
	case domain.CodeInvalid, domain.CodeConflict, domain.CodeRule, domain.CodeNotFound, domain.CodeForbidden:
		status = exitUsage
	}
	return newFailure(status, msgID, append(kv, "Reason", err))
}

// exit prints err as one line and returns the exit status.
func (r *runner) exit(err error) int {
	if err == nil {
		return exitOK
	}
	line, status := r.describe(err)
	fmt.Fprintln(r.env.Err, "gongjian: "+oneLine(line))
	return status
}

func (r *runner) describe(err error) (string, int) {
	var f *failure
	if errors.As(err, &f) {
		args := make(map[string]any, len(f.args))
		for k, v := range f.args {
			if e, ok := v.(error); ok {
				v = r.reason(e)
			}
			args[k] = v
		}
		return r.l.T(f.msgID, args), f.status
	}
	switch domain.CodeOf(err) {
	case domain.CodeInternal, domain.CodeUnavailable:
		return r.l.T("cli.failed", "Err", err.Error()), exitFailure
	}
	// Configuration errors are domain errors whose message already says
	// how to fix them; others get a generic way out.
	if strings.HasPrefix(domain.AsError(err).MsgID, "cli.") {
		return r.reason(err), exitUsage
	}
	return r.l.T("cli.rejected", "Reason", r.reason(err)), exitUsage
}

// reason renders an error in the operator's language. A domain error whose
// message the catalogues lack still names its rule, so the operator is not
// left with "the input is wrong".
func (r *runner) reason(err error) string {
	var de *domain.Error
	if !errors.As(err, &de) {
		return err.Error()
	}
	// The catalogues write whole sentences; inside "…: reason; fix" the
	// closing full stop would read as "reason.; fix".
	text := strings.TrimRight(r.l.Err(err), ".。")
	if de.MsgID != "" && !r.l.Has(de.MsgID) {
		text += " (" + de.Error() + ")"
	}
	return text
}

// oneLine keeps an error to the one line the contract promises, whatever
// a wrapped cause contains.
func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}
