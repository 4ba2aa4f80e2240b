package telemetry

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"go.temporal.io/api/workflowservice/v1"
	"go.temporal.io/sdk/client"

	"github.com/pressroom/pressroom/workflows"
)

// ReportStages is the number of reports per PressroomStage, counted by
// Temporal's visibility store at scrape time: the workflows already
// publish their stage as a search attribute, so no workflow code is
// involved. Closed reports (published, failed, cancelled) count until the
// namespace's retention removes them.
var reportStages = []workflows.Stage{
	workflows.StageDraft, workflows.StageTranslating, workflows.StageInReview, workflows.StageAwaitingApproval,
	workflows.StageApproved, workflows.StagePublishing, workflows.StagePublished, workflows.StageFailed, workflows.StageCancelled,
}

// WatchReports registers the reports-by-stage gauge, read from
// namespace's visibility through c. One process per deployment is enough
// (pressroom serve registers it); several give the same numbers.
func (m *Metrics) WatchReports(c client.Client, namespace string, log *slog.Logger) error {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return m.Registry.Register(&stageCollector{c: c, namespace: namespace, log: log})
}

const (
	reportsName       = "pressroom_reports"
	reportsErrorsName = "pressroom_reports_count_errors"
)

var (
	reportsDesc     = prometheus.NewDesc(reportsName, "Reports per stage (PressroomStage), from Temporal visibility.", []string{"stage"}, nil)
	reportsErrsDesc = prometheus.NewDesc(reportsErrorsName, "1 when the last visibility count failed.", nil, nil)
)

type stageCollector struct {
	c         client.Client
	namespace string
	log       *slog.Logger
}

func (s *stageCollector) Describe(ch chan<- *prometheus.Desc) {
	ch <- reportsDesc
	ch <- reportsErrsDesc
}

func (s *stageCollector) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	failed := 0.0
	for _, st := range reportStages {
		q := fmt.Sprintf("WorkflowType = '%s' AND %s = '%s'", workflows.ReportWorkflowName, workflows.SearchStage, st)
		resp, err := s.c.CountWorkflow(ctx, &workflowservice.CountWorkflowExecutionsRequest{Namespace: s.namespace, Query: q})
		if err != nil {
			s.log.Warn("metrics: count reports by stage", "stage", st, "error", err)
			failed = 1
			break
		}
		ch <- prometheus.MustNewConstMetric(reportsDesc, prometheus.GaugeValue, float64(resp.GetCount()), string(st))
	}
	ch <- prometheus.MustNewConstMetric(reportsErrsDesc, prometheus.GaugeValue, failed)
}
