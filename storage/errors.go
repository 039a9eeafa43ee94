package storage

import (
	"errors"
	"fmt"
	"strings"
)

// ErrAlreadyRunning is returned (wrapped, naming the state file) when another
// process, or another DB in this process, holds the state file's lock.
var ErrAlreadyRunning = errors.New("Fairshare is already running")

// ErrNewerSchema is returned (wrapped) when the state file was written by a newer
// Fairshare. The file is left untouched so that version can still use it.
var ErrNewerSchema = errors.New("state file was written by a newer Fairshare")

// CorruptError reports a state file that could not be read as a valid database.
// Open has already moved it to MovedTo (unless MoveErr is set), so starting again
// begins with empty state while the damaged file stays available for rescue.
type CorruptError struct {
	Path    string
	MovedTo string // empty when the move failed
	Err     error  // what was wrong with the file
	MoveErr error  // why it could not be moved aside, if it could not
}

func (e *CorruptError) Error() string {
	if e.MoveErr != nil {
		return fmt.Sprintf("state file %s is corrupt (%s) and could not be moved aside (%s); move it elsewhere yourself, then start again to begin with empty state",
			e.Path, oneLine(e.Err), oneLine(e.MoveErr))
	}
	return fmt.Sprintf("state file %s is corrupt (%s); moved it aside to %s; start again to begin with empty state (downloaded files are kept and re-verified when re-added)",
		e.Path, oneLine(e.Err), e.MovedTo)
}

func (e *CorruptError) Unwrap() error { return e.Err }

// damage marks an error as "the file's contents are bad" rather than "we could
// not get at the file", which decides between setting the file aside and leaving it.
type damage struct{ cause error }

func (d *damage) Error() string { return d.cause.Error() }
func (d *damage) Unwrap() error { return d.cause }

func damagef(format string, args ...any) error {
	return &damage{fmt.Errorf(format, args...)}
}

func alreadyRunning(path string) error {
	return fmt.Errorf("%w (state %s is locked by another process)", ErrAlreadyRunning, path)
}

// newerSchemaError carries the exact user-facing message while still matching
// errors.Is(err, ErrNewerSchema).
type newerSchemaError struct {
	path    string
	version uint32
}

func (e *newerSchemaError) Error() string {
	return fmt.Sprintf("state file %s was written by a newer Fairshare (schema %d); upgrade Fairshare", e.path, e.version)
}

func (e *newerSchemaError) Is(target error) bool { return target == ErrNewerSchema }

// oneLine keeps messages to a single line: bbolt check reports and panic values
// can contain newlines, and callers print the error as one line.
func oneLine(err error) string {
	if err == nil {
		return "unknown cause"
	}
	return strings.Join(strings.Fields(err.Error()), " ")
}
