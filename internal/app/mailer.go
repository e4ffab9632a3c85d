package app

import (
	"context"
	"fmt"
	"runtime/debug"
	"time"

	"narvard/internal/clock"
	"narvard/internal/mail"
)

// RunMail is serve's mail loop: every tick it writes the day's reminders
// and digests (Remind, once a day by the business clock) and sends what is
// due (DrainOutbox). A panic in a round is recovered into an error in the
// log; the loop ends when ctx does.
func (a *App) RunMail(ctx context.Context, s mail.Sender, every time.Duration) {
	var reminded time.Time
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		if err := a.mailRound(ctx, s, &reminded); err != nil && ctx.Err() == nil {
			a.Log.Error("e-post", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

func (a *App) mailRound(ctx context.Context, s mail.Sender, reminded *time.Time) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("programfel i e-postutskicket: %v\n%s", p, debug.Stack())
		}
	}()
	if today := clock.Today(a.Clock.Now()); !today.Equal(*reminded) {
		n, err := a.Remind(ctx)
		if err != nil {
			return err
		}
		*reminded = today
		a.Log.Info("påminnelser", "nya", n)
	}
	_, err = a.DrainOutbox(ctx, s)
	return err
}
