//go:build unix

package files

import (
	"errors"
	"syscall"
)

// notDirInPath reports whether err says an element of the path is a file, not a directory.
func notDirInPath(err error) bool { return errors.Is(err, syscall.ENOTDIR) }
