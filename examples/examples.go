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

// GlacierDialogueTMX holds the team's own translations of the example into
// ar, zh-Hans, fr, ru and es, as TMX 1.4: `make run` imports it so the demo
// publishes real translations from the translation memory.
//
//go:embed glacier-dialogue.tmx
var GlacierDialogueTMX []byte

// GlacierDialogueTMXName is its file name, for messages.
const GlacierDialogueTMXName = "examples/glacier-dialogue.tmx"
