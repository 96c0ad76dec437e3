//go:build !unix

package files

// notDirInPath reports whether err says an element of the path is a file, not a directory. Outside Unix the
// error is not told apart, and such a failure is reported as internal.
func notDirInPath(error) bool { return false }
