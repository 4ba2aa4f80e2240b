package mt

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/translate"
	"github.com/aws/aws-sdk-go-v2/service/translate/types"
	"github.com/aws/smithy-go"
	smithyhttp "github.com/aws/smithy-go/transport/http"
)

// amazonMaxBytes is TranslateText's limit: "The text string can be a
// maximum of 10,000 bytes long" (UTF-8).
const amazonMaxBytes = 10000

// TranslateAPI is the part of *translate.Client that Amazon uses.
type TranslateAPI interface {
	TranslateText(ctx context.Context, params *translate.TranslateTextInput, optFns ...func(*translate.Options)) (*translate.TranslateTextOutput, error)
}

// Amazon translates with Amazon Translate's TranslateText. It takes one
// text per call, so each segment is one request of at most 10,000 bytes; a
// longer segment is cut at sentence ends and its parts sent separately.
// Protected spans travel as <x id="N"/>: with a tag in it, the text is
// handled as HTML and elements are kept.
type Amazon struct {
	client    TranslateAPI
	formality types.Formality
	batch     batcher
}

// NewAmazon returns an Amazon Translate provider. formality is "" (the
// service default), FORMAL or INFORMAL (any case); it is sent only for
// targets that support it.
func NewAmazon(client TranslateAPI, formality string) *Amazon {
	return &Amazon{
		client:    client,
		formality: types.Formality(strings.ToUpper(strings.TrimSpace(formality))),
		batch: batcher{
			provider: "amazon",
			size:     byteLen,
			maxBatch: amazonMaxBytes,
			maxItems: 1,
			// Calls are independent; the SDK's retryer backs off on
			// throttling, so a few in flight are safe.
			concurrency: 4,
			unescape:    true,
		},
	}
}

// NewAmazonFromConfig returns an Amazon Translate provider using an AWS
// configuration (config.LoadDefaultConfig: the usual credential chain).
func NewAmazonFromConfig(cfg aws.Config, formality string, optFns ...func(*translate.Options)) *Amazon {
	return NewAmazon(translate.NewFromConfig(cfg, optFns...), formality)
}

// Name implements Provider.
func (a *Amazon) Name() string { return "amazon" }

// Translate implements Provider.
func (a *Amazon) Translate(ctx context.Context, req Request) ([]Result, error) {
	source, target := amazonCode(req.Source), amazonCode(req.Target)
	var settings *types.TranslationSettings
	if a.formality != "" && amazonFormalityTargets[target] {
		settings = &types.TranslationSettings{Formality: a.formality}
	}
	return a.batch.translate(ctx, req, func(ctx context.Context, texts []string) ([]unitOut, error) {
		out := make([]unitOut, len(texts))
		for i, t := range texts {
			resp, err := a.client.TranslateText(ctx, &translate.TranslateTextInput{
				SourceLanguageCode: aws.String(source),
				TargetLanguageCode: aws.String(target),
				Text:               aws.String(t),
				Settings:           settings,
			})
			if err != nil {
				return nil, a.classify(ctx, req, err)
			}
			out[i].text = aws.ToString(resp.TranslatedText)
		}
		return out, nil
	})
}

// classify maps the SDK's errors (after its own retries) to this package's.
func (a *Amazon) classify(ctx context.Context, req Request, err error) error {
	if cerr := ctx.Err(); cerr != nil {
		return cerr
	}
	if u, ok := errorsAs[*types.UnsupportedLanguagePairException](err); ok {
		return &UnsupportedPairError{Provider: a.Name(), Source: req.Source, Target: req.Target, Detail: "Amazon Translate: " + u.ErrorMessage()}
	}
	var apiErr smithy.APIError
	if errors.As(err, &apiErr) {
		switch apiErr.ErrorCode() {
		case "TooManyRequestsException", "ThrottlingException", "Throttling", "ThrottledException",
			"RequestLimitExceeded", "ServiceUnavailableException", "ServiceUnavailable",
			"InternalServerException", "InternalFailure", "RequestTimeout", "RequestTimeoutException":
			return &TransientError{Provider: a.Name(), Err: err}
		case "TextSizeLimitExceededException", "InvalidRequestException", "DetectedLanguageLowConfidenceException":
			return &RequestError{Provider: a.Name(), Message: err.Error()}
		}
	}
	if re, ok := errorsAs[*smithyhttp.ResponseError](err); ok {
		if s := re.HTTPStatusCode(); s == http.StatusTooManyRequests || s >= 500 {
			return &TransientError{Provider: a.Name(), Err: err}
		}
		return &ServiceError{Provider: a.Name(), Status: re.HTTPStatusCode(), Message: err.Error()}
	}
	if _, ok := errorsAs[*smithyhttp.RequestSendError](err); ok {
		// No answer at all: connection refused or reset, DNS, timeout.
		return &TransientError{Provider: a.Name(), Err: err}
	}
	if _, ok := errorsAs[*aws.RequestCanceledError](err); ok {
		return &TransientError{Provider: a.Name(), Err: err}
	}
	// Credentials missing, signing failed, endpoint unresolvable: only
	// configuration fixes these.
	return &ServiceError{Provider: a.Name(), Message: fmt.Sprint(err)}
}
