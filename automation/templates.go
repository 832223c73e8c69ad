package automation

import (
	"context"
	"fmt"

	"github.com/igny8/sdk/igny8"
)

// Template is a ready-made workflow: a rule to install for a site.
type Template struct {
	Name        string
	Description string
	Rule        Rule
}

// Templates returns the eight workflows of the pipeline (the reference's
// section 5.3). Each runs as soon as the event that feeds it is written,
// so keywords flow to published articles without waiting; edit a rule
// after installing it to run on a schedule instead (the reference's
// suggested times are in each description).
func Templates() []Template {
	rule := func(name string, trig Trigger, a ActionType, params map[string]any) Rule {
		return Rule{Name: name, Trigger: trig, Actions: []Action{{Type: a, Params: params}}, Active: true, MaxExecutionsPerDay: 100, CreditLimit: 500}
	}
	return []Template{
		{"auto_cluster", "Cluster new keywords (suggested schedule: daily at 02:00).",
			rule("Auto cluster keywords", TriggerKeywordAdded, ActionAutoCluster, nil)},
		{"auto_ideas", "Propose ideas for each new cluster.",
			rule("Auto generate ideas", TriggerClusterCreated, ActionGenerateIdeas, map[string]any{"count": 3})},
		{"auto_tasks", "Turn new ideas into writing tasks (suggested schedule: daily at 09:00).",
			rule("Auto create tasks", TriggerIdeaCreated, ActionCreateTasks, nil)},
		{"auto_content", "Write the queued tasks, within the daily content limit (suggested schedule: hourly).",
			Rule{Name: "Auto generate content", Trigger: TriggerSchedule, Schedule: &Schedule{Cron: "*/5 * * * *"},
				Actions: []Action{{Type: ActionGenerateContent, Params: map[string]any{"max": 10}}}, Active: true, MaxExecutionsPerDay: 300, CreditLimit: 2000}},
		{"auto_images", "Generate the images of new content.",
			rule("Auto generate images", TriggerContentGenerated, ActionGenerateImages, nil)},
		{"auto_link", "Link new content into the site.",
			rule("Auto link content", TriggerContentGenerated, ActionLinkContent, nil)},
		{"auto_optimize", "Optimize content once it is linked.",
			rule("Auto optimize content", TriggerContentLinked, ActionOptimizeContent, nil)},
		{"auto_publish", "Publish optimized content (suggested schedule: daily at 10:00).",
			rule("Auto publish", TriggerContentOptimized, ActionPublish, nil)},
	}
}

// Install adds the named templates (all eight when names is empty) to the
// scope's site as rules, and returns them. Rules are ordinary rules after
// that: edit, disable or delete them at will.
func (e *Engine) Install(ctx context.Context, scope igny8.Scope, names ...string) ([]Rule, error) {
	const op = "automation.Install"
	want := map[string]bool{}
	for _, n := range names {
		want[n] = true
	}
	known := map[string]bool{}
	for _, t := range Templates() {
		known[t.Name] = true
	}
	for _, n := range names {
		if !known[n] {
			return nil, igny8.InvalidArgument(op, "names", "unknown template %q", n)
		}
	}
	var out []Rule
	for _, t := range Templates() {
		if len(want) > 0 && !want[t.Name] {
			continue
		}
		r := t.Rule
		r.Template = t.Name
		saved, err := e.SaveRule(ctx, scope, r)
		if err != nil {
			return out, fmt.Errorf("%s: template %s: %w", op, t.Name, err)
		}
		out = append(out, saved)
	}
	return out, nil
}
