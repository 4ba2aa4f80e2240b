// Package mt is machine translation behind one interface: providers
// translate batches of segments and say, per segment, where the text came
// from. Which provider serves which locale is configuration (see Router and
// ParseRouting; NewProvider and Lookup build providers by name from the
// environment).
//
// # Providers
//
//	name            provenance           configuration
//	pseudo          mt:pseudo            none
//	apertium        mt:apertium          PRESSROOM_APERTIUM_URL (default http://127.0.0.1:2737)
//	deepl           mt:deepl             PRESSROOM_DEEPL_KEY (required), PRESSROOM_DEEPL_URL
//	                                     (default by key: ":fx" → api-free.deepl.com),
//	                                     PRESSROOM_DEEPL_FORMALITY (formal, informal, more, less,
//	                                     prefer_more, prefer_less; formal/informal mean prefer_*)
//	libretranslate  mt:libretranslate    PRESSROOM_LIBRETRANSLATE_URL (default http://127.0.0.1:5000),
//	                                     PRESSROOM_LIBRETRANSLATE_KEY
//	amazon          mt:amazon            the AWS configuration chain (AWS_REGION, credentials,
//	                                     AWS_ENDPOINT_URL_TRANSLATE), PRESSROOM_AMAZON_FORMALITY
//	                                     (FORMAL or INFORMAL; sent only to targets Amazon supports)
//
// # Errors
//
// A provider returns one Result per segment; a segment that failed has Err
// set and the others are kept. Translate itself fails only when the service
// is unusable for the whole batch: *UnsupportedPairError (permanent, with
// what the service can do instead), *TransientError (HTTP 429 and 5xx,
// throttling, timeouts, connection failures; IsTransient reports it through
// wrapping and errors.Join, so a caller such as a Temporal activity retries
// exactly these) or *ServiceError (bad key, exhausted quota: permanent). A
// request the service refuses for its content (*RequestError, e.g. HTTP
// 400) is resent segment by segment, so only the culprit fails.
//
// # Markup and placeholders
//
// Before sending, every span Pseudolocalize protects (placeholders such as
// {{.Name}}, {count} and %s, tags, entities, URLs, emails, numbers, code
// spans, link destinations), Markdown punctuation ("**", "_", "[", "](…)")
// and the characters "*", "#", "@" become empty elements <x id="N"/>, and
// the text between is XML-escaped. After translation each element gets its
// span back. If an element is lost, duplicated, unknown or mangled, or
// markup elements change order, the segment fails with an error naming the
// span, and the Router tries the next provider. Placeholders, URLs and
// numbers may move with the words; leading and trailing whitespace of a
// segment is kept as it was.
//
// # Batching and limits
//
//   - Apertium: segments are joined into POST /translate requests of at most
//     4,000 characters, each preceded by <hr id="uN"/>, which APy's HTML
//     deformatter passes through unchanged and treats as a sentence end, so
//     words never move between segments; the separators are checked on the
//     way back. The cap comes from APy itself (0.11): it feeds a request to
//     its pipeline in at most 10 parts of ≥ 501 characters and silently
//     drops the rest, so only ~5,000 characters per request are safe (a
//     41,590-byte request came back with 290 of its 300 segments). Measured
//     on this machine (2 vCPUs, shared), 300 report paragraphs eng→spa:
//     11 requests, 0.5–0.7 s, against 5.2–5.5 s for one request per
//     segment, with identical output
//     (go test ./internal/mt/ -run XXX -bench Apertium300 -benchtime 3x).
//     Requests go one at a time: APy serialises each pair's pipeline.
//     markUnknown=no, and the "#" and "@" marks APy leaves are stripped.
//   - DeepL: at most 50 texts and 128 KiB of JSON per request, two in flight.
//   - LibreTranslate: at most 25 texts per request and the server's
//     charLimit (GET /frontend/settings; 10,000 characters if it sets none).
//   - Amazon Translate: one text per TranslateText call (the API takes one),
//     at most 10,000 bytes; four calls in flight. The SDK's retryer handles
//     throttling first.
//
// A segment longer than one request allows is cut at sentence ends (else
// at spaces), never inside an element, and its parts are rejoined with the
// original whitespace.
//
// # What the tests prove, and against what
//
// Apertium is tested for real: the tests start apertium-apy with Debian's
// apertium-eng-spa and apertium-eng-cat and translate eng→spa, eng→cat and
// eng→cat_valencia, including the Markdown/placeholder round trip, 300
// paragraphs in batches, a paragraph longer than one request, unknown
// words and an unsupported pair. Under CI=true a missing apertium-apy fails
// the run; otherwise those tests skip with a message.
//
// DeepL, LibreTranslate and Amazon Translate cannot be reached from here:
// their adapters are tested only against httptest servers that speak each
// one's documented request and response shapes (DeepL API v2
// /v2/translate; LibreTranslate /translate, /languages and
// /frontend/settings; Amazon Translate's TranslateText over AWS JSON 1.1,
// through the real aws-sdk-go-v2 client with SigV4 signing). Those tests
// assert headers, authentication, JSON fields and batching limits, and
// cover success, one failing segment among good ones, transient versus
// permanent errors and unsupported pairs. They cannot show how the real
// services treat the <x id="N"/> elements; a segment whose elements do not
// come back intact fails and falls back rather than being published.
package mt
