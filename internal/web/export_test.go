package web

import "narvard/internal/followup"

// HoldFollowUp returns o with follow-up jobs that stop the first time they
// report stage, until release is closed: for tests that want to see a job
// running.
func HoldFollowUp(o Options, stage followup.Stage, release <-chan struct{}) Options {
	o.compute = holdingCompute(stage, release)
	return o
}
