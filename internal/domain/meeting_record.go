package domain

import "time"

// Meeting is one meeting of an organization's life, as planned and then
// recorded: when and where, who organized it, the host organization that
// co-organized a joint meeting (or, for a mobile secretary sitting in, the
// host committee whose meeting it was), and the minutes once held.
type Meeting struct {
	ID        MeetingID
	OrgID     OrgID
	OrgName   string
	OrgPath   string
	Kind      MeetingKind
	State     MeetingState
	StartsAt  time.Time
	EndsAt    time.Time // zero when no end was given
	HeldOn    Date      // the Beijing day of StartsAt: the day the rhythm counts it for
	Place     string
	Online    bool
	Topic     string
	Organizer string
	CoOrgID   OrgID // zero: not a joint meeting
	CoOrgName string
	CoOrgPath string
	Minutes   string
	Decisions string
	CreatedBy string
	CreatedAt time.Time
	UpdatedAt time.Time
	Version   int64
}

// Joint reports whether a host organization co-organizes the meeting.
func (m Meeting) Joint() bool { return m.CoOrgID != 0 && m.Kind != MeetingSitIn }

// LeaveState is where a request for leave stands.
type LeaveState string

// The states of leave: asked for by the member (with a reason), then
// approved or refused by the secretary. A secretary who marks a member on
// leave directly approves it at once.
const (
	LeaveNone      LeaveState = ""
	LeaveRequested LeaveState = "requested"
	LeaveApproved  LeaveState = "approved"
	LeaveRefused   LeaveState = "refused"
)

// CheckinMethod is how a presence was recorded.
type CheckinMethod string

// The methods: on the secretary's sheet, or by the member scanning the
// meeting's QR code.
const (
	MethodNone  CheckinMethod = ""
	MethodSheet CheckinMethod = "sheet"
	MethodQR    CheckinMethod = "qr"
)

// Valid reports whether s is a known status.
func (s AttendanceStatus) Valid() bool {
	for _, x := range AttendanceStatuses() {
		if s == x {
			return true
		}
	}
	return false
}

// Attendance is one person's line on a meeting's sheet. Expected lines are
// fixed when the meeting is planned (the organization's members that day);
// the others are guests the secretary added.
type Attendance struct {
	MeetingID MeetingID
	PersonID  PersonID
	Name      string
	// IDTail is the end of the masked ID number ("123X"), which tells two
	// people of one name apart on a sheet; empty when none is recorded.
	IDTail      string
	Expected    bool
	Status      AttendanceStatus
	LeaveReason string
	LeaveState  LeaveState
	Method      CheckinMethod
	CheckedInAt *time.Time
	RecordedBy  string
	RecordedAt  *time.Time
}

// MeetingFile is a photo or document kept with a meeting's minutes, stored
// in the data folder under its SHA-256.
type MeetingFile struct {
	ID          int64
	MeetingID   MeetingID
	Name        string
	ContentType string
	Size        int64
	SHA256      string
	UploadedBy  string
	UploadedAt  time.Time
}

// Image reports whether the file is a photo (shown inline on the page).
func (f MeetingFile) Image() bool {
	return f.ContentType == "image/jpeg" || f.ContentType == "image/png" || f.ContentType == "image/webp"
}
