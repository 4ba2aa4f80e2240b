// Package examples holds example reports written for Pressroom's demo and
// documentation.
package examples

import _ "embed"

// GlacierDialogue is the report `make run` publishes.
//
//go:embed glacier-dialogue.md
var GlacierDialogue []byte

// GlacierDialogueName is its file name, for messages.
const GlacierDialogueName = "examples/glacier-dialogue.md"
