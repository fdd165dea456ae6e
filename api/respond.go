package api

import (
	"context"
	"io"
	"net/http"
	"strconv"

	"whistle/domain"
	"whistle/transport"
)

// The shapes most handlers share, written once: read a resource named in the path,
// decode a body and hand it to the service, answer what the service gives. A route
// whose handler is one of these is registered with the service method itself.

// reply answers v as JSON with status, unless err says why it cannot.
func reply(w http.ResponseWriter, status int, v any, err error) error {
	if err != nil {
		return err
	}
	transport.WriteJSON(w, status, v)
	return nil
}

// created answers 201 with v, a new resource whose address is path followed by id.
func created(w http.ResponseWriter, path string, id int64, v any) error {
	w.Header().Set("Location", path+strconv.FormatInt(id, 10))
	transport.WriteJSON(w, http.StatusCreated, v)
	return nil
}

// noContent answers 204, unless err says why it cannot.
func noContent(w http.ResponseWriter, err error) error {
	if err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// serve makes a plain http.Handler an open route.
func serve(h http.Handler) openHandler {
	return func(w http.ResponseWriter, r *http.Request) error {
		h.ServeHTTP(w, r)
		return nil
	}
}

// readBody reads a whole upload of at most limit bytes (a whole number of MiB); what
// names it in the refusal.
func readBody(w http.ResponseWriter, r *http.Request, limit int64, what string) ([]byte, error) {
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, limit))
	if err != nil {
		return nil, transport.BodyError(err, what, limit)
	}
	return body, nil
}

// A path key reads what names a resource in the request's path.

// pathID is the key of a resource (a what) named by the path's positive {id}.
func pathID(what string) func(*http.Request) (int64, error) {
	return func(r *http.Request) (int64, error) { return transport.PathID(r, "id", what) }
}

// newID is the key of a resource a POST makes: 0, for the service to number it.
func newID(*http.Request) (int64, error) { return 0, nil }

// pathCode is the key of a catalogue entry: the path's {code}.
func pathCode(r *http.Request) (string, error) { return r.PathValue("code"), nil }

// readAt answers what read gives for the resource the path names, its key read by key.
func readAt[K, T any](key func(*http.Request) (K, error), read func(context.Context, domain.User, K) (T, error)) handler {
	return func(w http.ResponseWriter, r *http.Request, u domain.User) error {
		k, err := key(r)
		if err != nil {
			return err
		}
		v, err := read(r.Context(), u, k)
		return reply(w, http.StatusOK, v, err)
	}
}

// byID is readAt for a resource (a what) named by the path's {id}.
func byID[T any](what string, read func(context.Context, domain.User, int64) (T, error)) handler {
	return readAt(pathID(what), read)
}

// get answers what read gives.
func get[T any](read func(context.Context, domain.User) (T, error)) handler {
	return func(w http.ResponseWriter, r *http.Request, u domain.User) error {
		v, err := read(r.Context(), u)
		return reply(w, http.StatusOK, v, err)
	}
}

// list answers what read gives as an object holding it under key.
func list[T any](key string, read func(context.Context, domain.User) (T, error)) handler {
	return get(func(ctx context.Context, u domain.User) (map[string]any, error) {
		v, err := read(ctx, u)
		return map[string]any{key: v}, err
	})
}

// keyed makes read give an object holding its answer under key, as lists are sent.
func keyed[A, T any](key string, read func(context.Context, domain.User, A) (T, error)) func(context.Context, domain.User, A) (map[string]any, error) {
	return func(ctx context.Context, u domain.User, a A) (map[string]any, error) {
		v, err := read(ctx, u, a)
		return map[string]any{key: v}, err
	}
}

// everyone fits a read that is the same for every signed-in user to the shapes here.
func everyone[T any](read func(context.Context) (T, error)) func(context.Context, domain.User) (T, error) {
	return func(ctx context.Context, _ domain.User) (T, error) { return read(ctx) }
}

// anyone is everyone for a read of one thing.
func anyone[A, T any](read func(context.Context, A) (T, error)) func(context.Context, domain.User, A) (T, error) {
	return func(ctx context.Context, _ domain.User, a A) (T, error) { return read(ctx, a) }
}

// write decodes the body into an In, has do act on it and answers status with what do
// gives.
func write[In, Out any](status int, do func(context.Context, domain.User, In) (Out, error)) handler {
	return func(w http.ResponseWriter, r *http.Request, u domain.User) error {
		out, err := decodeDo(w, r, u, do)
		return reply(w, status, out, err)
	}
}

// decodeDo decodes the body into an In and has do act on it.
func decodeDo[In, Out any](w http.ResponseWriter, r *http.Request, u domain.User, do func(context.Context, domain.User, In) (Out, error)) (Out, error) {
	var in In
	if err := transport.Decode(w, r, &in); err != nil {
		var none Out
		return none, err
	}
	return do(r.Context(), u, in)
}

// writeAt is write on the resource the path names, its key read by key.
func writeAt[K, In, Out any](key func(*http.Request) (K, error), status int, do func(context.Context, domain.User, K, In) (Out, error)) handler {
	return func(w http.ResponseWriter, r *http.Request, u domain.User) error {
		k, err := key(r)
		if err != nil {
			return err
		}
		return write(status, func(ctx context.Context, u domain.User, in In) (Out, error) { return do(ctx, u, k, in) })(w, r, u)
	}
}

// writeID is writeAt for a resource (a what) named by the path's {id}.
func writeID[In, Out any](what string, status int, do func(context.Context, domain.User, int64, In) (Out, error)) handler {
	return writeAt(pathID(what), status, do)
}

// create decodes the body into an In, has do make the resource and answers 201 with it
// and its address: path followed by the id that idOf reads from it.
func create[In, Out any](path string, idOf func(Out) int64, do func(context.Context, domain.User, In) (Out, error)) handler {
	return func(w http.ResponseWriter, r *http.Request, u domain.User) error {
		out, err := decodeDo(w, r, u, do)
		if err != nil {
			return err
		}
		return created(w, path, idOf(out), out)
	}
}
