package config_test

import (
	"testing"

	"gongjian/internal/config"
	"gongjian/internal/domain"
)

// The meeting file limits come from a flag or its variable, in whole MiB.
func TestMeetingFileLimits(t *testing.T) {
	env := map[string]string{"GONGJIAN_MEETING_FILES_MB": "500"}
	c, err := resolve(t, config.Common|config.Server, []string{"--meeting-file-mb", "8"}, env, config.ServeDefaults())
	if err != nil || c.MeetingFileMB != 8 || c.MeetingFilesMB != 500 {
		t.Fatalf("limits %d, %d (%v)", c.MeetingFileMB, c.MeetingFilesMB, err)
	}
	for _, bad := range []string{"0", "-3", "2.5", "ten", "10241"} {
		_, err := resolve(t, config.Common|config.Server, []string{"--meeting-file-mb", bad}, nil, config.ServeDefaults())
		if e := domain.AsError(err); err == nil || e.MsgID != "cli.config.megabytes" || e.Args["Env"] != "GONGJIAN_MEETING_FILE_MB" {
			t.Errorf("--meeting-file-mb %s: %v", bad, err)
		}
	}
}
