package cli

import (
	"bufio"
	"io"
	"os"
	"strings"
)

// readPassword returns the password from --password, else
// GONGJIAN_PASSWORD, else the terminal (asked twice, not echoed), else one
// line of standard input, so scripts can pipe it in.
func (r *runner) readPassword(fromFlag string) (string, error) {
	if fromFlag != "" {
		return fromFlag, nil
	}
	if v := r.env.Getenv("GONGJIAN_PASSWORD"); v != "" {
		return v, nil
	}
	if f, ok := r.env.In.(*os.File); ok && isTerminal(f) {
		return r.promptTwice(f)
	}
	if r.env.In == nil {
		return "", usageError("cli.password.none")
	}
	line, err := bufio.NewReader(r.env.In).ReadString('\n')
	if err != nil && err != io.EOF {
		return "", runtimeError("cli.failed", "Err", err.Error())
	}
	line = strings.TrimRight(line, "\r\n")
	if line == "" {
		return "", usageError("cli.password.none")
	}
	return line, nil
}

func (r *runner) promptTwice(f *os.File) (string, error) {
	read := func(msgID string) (string, error) {
		io.WriteString(r.env.Err, r.l.T(msgID)+" ")
		pw, err := readNoEcho(f)
		io.WriteString(r.env.Err, "\n")
		if err != nil {
			return "", runtimeError("cli.failed", "Err", err.Error())
		}
		return pw, nil
	}
	pw, err := read("cli.password.prompt")
	if err != nil {
		return "", err
	}
	again, err := read("cli.password.again")
	if err != nil {
		return "", err
	}
	if pw != again {
		return "", usageError("cli.password.mismatch")
	}
	if pw == "" {
		return "", usageError("cli.password.none")
	}
	return pw, nil
}
