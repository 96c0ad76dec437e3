// Package playbooks keeps each dealer's stage playbooks (the «кейсы»): for every lead stage and sales stage a
// template of steps. Entering a stage creates its steps as tasks (activities of kind task) for the lead's or
// sale's owner, in the unit of work of the stage change; a required step keeps the lead or sale at its stage
// (moving forward is refused with code playbook_step_open) until it is done or cancelled; some steps complete by
// themselves when their event happens (a test drive booked, a credit application made, the purchase contract
// formed, a call completed).
//
// leads, sales, credit and activities cannot import this package (it imports them), so they call it through the
// kernel's port crm.Playbook, which every adapter's transaction hands out as Hooks over its own stores. The
// automotive defaults (DefaultSteps) are seeded per dealer with the directories (Seed); a dealer edits a stage's
// steps with Service.PutPlaybook. See docs/playbooks.md.
package playbooks
