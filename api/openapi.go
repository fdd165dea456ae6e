package api

import (
	"embed"
	"encoding/json"
	"fmt"
	"io/fs"
	"maps"
)

// openapiFiles hold the OpenAPI document: core.json is the whole document for the case
// engine, and each other file adds the paths, tags and components of one capability, so
// capabilities are documented beside each other without editing one large file. The
// merge adds the 413 answer to every operation with a body (bodiesMayBeTooLarge).
//
//go:embed openapi/*.json
var openapiFiles embed.FS

// openapiDoc describes every route; TestOpenAPICoversRoutes holds it to Server.Routes.
var openapiDoc = mustMergeOpenAPI()

// mustMergeOpenAPI joins the fragments into core.json; a path or component named twice
// is a programming error, caught the first time the package loads.
func mustMergeOpenAPI() []byte {
	read := func(name string) map[string]any {
		body, err := openapiFiles.ReadFile("openapi/" + name)
		if err != nil {
			panic(err)
		}
		var m map[string]any
		if err := json.Unmarshal(body, &m); err != nil {
			panic(fmt.Sprintf("openapi/%s: %v", name, err))
		}
		return m
	}
	doc := read("core.json")
	names, _ := fs.Glob(openapiFiles, "openapi/*.json")
	for _, path := range names {
		name := path[len("openapi/"):]
		if name == "core.json" {
			continue
		}
		part := read(name)
		if tags, ok := part["tags"].([]any); ok {
			doc["tags"] = append(doc["tags"].([]any), tags...)
		}
		mergeInto(doc, part, "paths", name)
		comps, _ := part["components"].(map[string]any)
		for kind, v := range comps {
			mergeInto(doc["components"].(map[string]any), map[string]any{kind: v}, kind, name)
		}
	}
	bodiesMayBeTooLarge(doc)
	out, err := json.Marshal(doc)
	if err != nil {
		panic(err)
	}
	return out
}

// bodiesMayBeTooLarge adds the 413 answer to every operation that takes a body: every
// body is read within a limit (transport.Decode, the uploads' own), so each may answer
// it, and no fragment has to remember to say so.
func bodiesMayBeTooLarge(doc map[string]any) {
	paths, _ := doc["paths"].(map[string]any)
	for _, item := range paths {
		ops, _ := item.(map[string]any)
		for _, op := range ops {
			o, _ := op.(map[string]any)
			responses, _ := o["responses"].(map[string]any)
			if _, body := o["requestBody"]; body && responses != nil && responses["413"] == nil {
				responses["413"] = map[string]any{"$ref": "#/components/responses/PayloadTooLarge"}
			}
		}
	}
}

// mergeInto adds part[key]'s entries to doc[key], refusing duplicates.
func mergeInto(doc, part map[string]any, key, file string) {
	add, _ := part[key].(map[string]any)
	if len(add) == 0 {
		return
	}
	into, _ := doc[key].(map[string]any)
	if into == nil {
		into = map[string]any{}
		doc[key] = into
	}
	for k := range add {
		if _, dup := into[k]; dup {
			panic(fmt.Sprintf("openapi/%s: %s %q is already documented", file, key, k))
		}
	}
	maps.Copy(into, add)
}
