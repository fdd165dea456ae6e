package api

import _ "embed"

// openapiDoc describes every route; TestOpenAPICoversRoutes holds it to Server.Routes.
//
//go:embed openapi.json
var openapiDoc []byte
