package playbooks

import (
	"fmt"

	"github.com/dealercrm/dealercrm/crm"
)

// StepOpenError is the refusal of a forward move while a required step of the stage is open: a crm.KindConflict
// with code CodeStepOpen (errors.Is(err, crm.ErrConflict), crm.CodeOf) that names the step, so that a caller can
// read it with errors.As instead of parsing the message.
type StepOpenError struct {
	StageID    crm.ID // the stage left
	Key        string // the step's key (Step.Key)
	Title      string // the task's subject: the step's title when it was created
	ActivityID crm.ID // the open task; zero when the step is of a stage the move skips and has no task
	kernel     *crm.Error
}

// newStepOpenError builds the refusal for the open task of step key.
func newStepOpenError(stageID crm.ID, key, title string, activityID crm.ID) *StepOpenError {
	e := &StepOpenError{StageID: stageID, Key: key, Title: title, ActivityID: activityID}
	e.kernel = &crm.Error{Kind: crm.KindConflict, Code: CodeStepOpen, Message: e.Error()}
	return e
}

// Error says which step is open and what to do.
func (e *StepOpenError) Error() string {
	if e.ActivityID == (crm.ID{}) {
		return fmt.Sprintf("the required step %q («%s») of a stage this move skips has not been done: move through that stage", e.Key, e.Title)
	}
	return fmt.Sprintf("the required step %q («%s») of this stage is open (activity %s): complete or cancel it first",
		e.Key, e.Title, e.ActivityID)
}

// Unwrap returns the kernel error it is (a conflict with code playbook_step_open).
func (e *StepOpenError) Unwrap() error {
	if e.kernel == nil {
		return &crm.Error{Kind: crm.KindConflict, Code: CodeStepOpen, Message: e.Error()}
	}
	return e.kernel
}
