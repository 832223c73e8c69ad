package webhook

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"

	"github.com/igny8/sdk/igny8"
	"github.com/igny8/sdk/publishing"
)

type assetsKey struct{}

// AssetsFrom returns the image bytes that came with the request whose
// context the Handler passed to the backend's Publish.
func AssetsFrom(ctx context.Context) map[string]Asset {
	a, _ := ctx.Value(assetsKey{}).(map[string]Asset)
	return a
}

// Handler is the receiving side, for a CMS (or a test) that wants to take
// content from IGNY8: it verifies each request with v, decodes the
// Envelope and calls backend, which is a publishing.Publisher of the
// receiver's own (a Finder too, to answer lookups by key). Answers are
// Reply or ErrorReply JSON with the status of the error's code.
func Handler(v *Verifier, backend publishing.Publisher) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost {
			w.Header().Set("Allow", http.MethodPost)
			writeError(w, http.StatusMethodNotAllowed, igny8.Errorf(igny8.CodeInvalidArgument, "webhook.Handler", "method %s not allowed", r.Method))
			return
		}
		body, err := v.Verify(r)
		if err != nil {
			status := http.StatusUnauthorized
			if !errors.Is(err, igny8.ErrPermissionDenied) {
				status = statusOf(err)
			}
			writeError(w, status, err)
			return
		}
		var env Envelope
		if err := json.Unmarshal(body, &env); err != nil {
			writeError(w, http.StatusBadRequest, igny8.InvalidArgument("webhook.Handler", "body", "is not an envelope: %v", err))
			return
		}
		ctx := r.Context()
		var reply Reply
		switch env.Action {
		case ActionCheck:
		case ActionPublish:
			if env.Item == nil {
				err = igny8.InvalidArgument("webhook.Handler", "item", "is required for %s", env.Action)
				break
			}
			var rc publishing.Receipt
			rc, err = backend.Publish(context.WithValue(ctx, assetsKey{}, env.Assets), *env.Item)
			reply = Reply{RemoteID: rc.RemoteID, URL: rc.URL, Kind: rc.Kind, RemoteStatus: rc.RemoteStatus}
		case ActionUnpublish:
			if env.Receipt == nil {
				err = igny8.InvalidArgument("webhook.Handler", "receipt", "is required for %s", env.Action)
				break
			}
			err = backend.Unpublish(ctx, *env.Receipt)
		case ActionFind:
			f, ok := backend.(publishing.Finder)
			if !ok {
				err = igny8.Errorf(igny8.CodeInvalidArgument, "webhook.Handler", "this receiver cannot look items up by key")
				break
			}
			var rc publishing.Receipt
			rc, reply.Found, err = f.FindByKey(ctx, env.Key)
			reply.RemoteID, reply.URL, reply.Kind, reply.RemoteStatus = rc.RemoteID, rc.URL, rc.Kind, rc.RemoteStatus
		default:
			err = igny8.InvalidArgument("webhook.Handler", "action", "unknown action %q", env.Action)
		}
		if err != nil {
			writeError(w, statusOf(err), err)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(reply)
	})
}

func statusOf(err error) int {
	switch igny8.CodeOf(err) {
	case igny8.CodeInvalidArgument:
		return http.StatusBadRequest
	case igny8.CodePermissionDenied:
		return http.StatusForbidden
	case igny8.CodeNotFound:
		return http.StatusNotFound
	case igny8.CodeConflict:
		return http.StatusConflict
	case igny8.CodeUnavailable:
		return http.StatusServiceUnavailable
	case igny8.CodeLimitExceeded, igny8.CodeInsufficientCredits:
		return http.StatusTooManyRequests
	}
	return http.StatusInternalServerError
}

func writeError(w http.ResponseWriter, status int, err error) {
	er := ErrorReply{Code: string(igny8.CodeOf(err)), Message: err.Error()}
	var ke *igny8.Error
	var re *publishing.RemoteError
	switch {
	case errors.As(err, &re):
		er.Field = re.Field
	case errors.As(err, &ke):
		er.Field = ke.Field
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(er)
}
