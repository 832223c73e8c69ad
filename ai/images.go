package ai

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/igny8/sdk/igny8"
)

// ImageResult is a successful image generation and what it cost.
type ImageResult struct {
	Image    igny8.GeneratedImage
	RunID    string
	Attempts int
	Credits  int64
	Latency  time.Duration
}

// GenerateImage generates one image for scope (a site is required) with
// the Runner's image generator (RunnerOptions.Images), under the same
// rules as a Function run: it reserves 1 of the site's
// daily_image_generation_limit and monthly_image_count and debits the
// generate_image cost in one transaction, retries Unavailable answers with
// backoff, refunds and releases on failure, and logs every attempt under
// the function name igny8.FuncGenerateImage. Bytes that are not an image
// fail the run as Internal (no retry: a generator that answers garbage
// does so again).
func (r *Runner) GenerateImage(ctx context.Context, scope igny8.Scope, req igny8.ImageRequest, opts *RunOptions) (ImageResult, error) {
	const op = "ai.GenerateImage"
	const name = igny8.FuncGenerateImage
	if err := scope.RequireSite(op); err != nil {
		return ImageResult{}, err
	}
	if r.images == nil {
		return ImageResult{}, igny8.InvalidArgument(op, "images", "the runner has no image generator (RunnerOptions.Images)")
	}
	if strings.TrimSpace(req.Prompt) == "" {
		return ImageResult{}, igny8.InvalidArgument(op, "prompt", "is required")
	}
	if opts == nil {
		opts = &RunOptions{}
	}
	start := r.clock.Now()
	out := ImageResult{RunID: r.ids.NewID()}
	base := Call{RunID: out.RunID, Scope: scope, Function: name, PromptID: name, Model: opts.Model}
	cost, err := r.credits.Cost(ctx, scope, name, 0)
	if err != nil {
		return out, err
	}
	key := opts.IdempotencyKey
	if key == "" {
		key = "ai:" + name + ":" + out.RunID
	}
	var reservations []igny8.Reservation
	replay := false
	err = r.store.InTx(ctx, func(ctx context.Context) error {
		for _, l := range []igny8.Limit{igny8.LimitDailyImageGenerations, igny8.LimitMonthlyImages} {
			res, err := r.limits.Reserve(ctx, scope.Site(), l, 1)
			if err != nil {
				return err
			}
			reservations = append(reservations, res)
		}
		if cost > 0 {
			e, err := r.credits.Debit(ctx, scope.Account(), igny8.Charge{
				Amount: cost, Reason: "AI " + name, Reference: out.RunID, IdempotencyKey: key,
			})
			if err != nil {
				return err
			}
			replay = e.Reference != out.RunID
		}
		return nil
	})
	if err != nil {
		c := base
		c.Final, c.Outcome = true, OutcomeRefused
		r.record(context.WithoutCancel(ctx), c, start, err)
		return out, err
	}
	charged := cost
	if replay {
		charged = 0
	}
	fail := func(c Call, err error) (ImageResult, error) {
		cctx := context.WithoutCancel(ctx)
		if charged > 0 {
			if _, rerr := r.credits.Refund(cctx, scope.Account(), key, "refund: AI "+name+" failed"); rerr != nil {
				r.log.ErrorContext(cctx, "ai: refund failed; refund the debit by its key", "run_id", out.RunID, "idempotency_key", key, "error", rerr)
			}
		}
		for _, res := range reservations {
			if rerr := r.limits.Release(cctx, res); rerr != nil {
				r.log.ErrorContext(cctx, "ai: releasing a reservation failed", "run_id", out.RunID, "limit", res.Key.Limit, "error", rerr)
			}
		}
		c.Final = true
		r.record(cctx, c, start, err)
		return ImageResult{}, err
	}
	unavailable := 0
	for {
		out.Attempts++
		t0 := r.clock.Now()
		img, err := r.images.GenerateImage(ctx, req)
		c := base
		c.Attempt, c.Latency = out.Attempts, r.clock.Now().Sub(t0)
		if err != nil {
			switch {
			case ctx.Err() != nil:
				c.Outcome = OutcomeCanceled
				return fail(c, igny8.Wrap(igny8.CodeUnavailable, op, err))
			case igny8.CodeOf(err) != igny8.CodeUnavailable:
				c.Outcome = OutcomeError
				return fail(c, igny8.Wrap(igny8.CodeInternal, op, err))
			}
			c.Outcome = OutcomeUnavailable
			unavailable++
			if unavailable >= r.retry.MaxAttempts {
				return fail(c, igny8.Wrap(igny8.CodeUnavailable, op, fmt.Errorf("image generator unavailable after %d attempts: %w", unavailable, err)))
			}
			delay, ok := r.backoff(unavailable-1, err)
			if !ok {
				return fail(c, igny8.Wrap(igny8.CodeUnavailable, op, err))
			}
			r.record(ctx, c, t0, err)
			if serr := r.sleep(ctx, delay); serr != nil {
				c.Outcome = OutcomeCanceled
				return fail(c, igny8.Wrap(igny8.CodeUnavailable, op, serr))
			}
			continue
		}
		if len(img.Data) == 0 || !strings.HasPrefix(img.MediaType, "image/") {
			c.Outcome = OutcomeInvalidOutput
			return fail(c, igny8.Errorf(igny8.CodeInternal, op, "the generator returned %d bytes of %q: %w",
				len(img.Data), img.MediaType, errors.New("not an image")))
		}
		out.Image, out.Credits, out.Latency = img, charged, r.clock.Now().Sub(start)
		c.Outcome, c.Final, c.Credits = OutcomeOK, true, charged
		r.record(ctx, c, t0, nil)
		return out, nil
	}
}
