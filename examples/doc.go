// Package examples holds runnable programs that wire dealercrm together (each in its own directory) and the test
// that keeps the module's import rule.
package examples
