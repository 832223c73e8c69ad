package sqlstore

import (
	"context"
	"database/sql"
	"sort"
	"strings"
	"time"

	"github.com/uptrace/bun"

	"github.com/igny8/sdk/igny8"
	"github.com/igny8/sdk/planning"
)

var _ planning.Store = (*Store)(nil)

// planningBatchRows bounds the rows of one multi-row INSERT and the values
// of one IN list: 500 keywords × 15 columns stay far under both dialects'
// bind-parameter limits (SQLite 32,766; Postgres 65,535).
const planningBatchRows = 500

func placeholders(n int) string {
	return "(" + strings.TrimSuffix(strings.Repeat("?,", n), ",") + ")"
}

// statusCond adds the status filter: "" is active only, "all" is any.
func statusCond(c *cond, s planning.Status) {
	switch s {
	case planning.StatusAll:
	case "":
		c.and("status = ?", string(planning.StatusActive))
	default:
		c.and("status = ?", string(s))
	}
}

// ---- keywords ----

const keywordCols = `id, account_id, site_id, sector_id, text, normalized, volume, difficulty, cpc, intent, status,
	cluster_id, source, created_at, updated_at`

const keywordColCount = 15

func scanKeyword(row interface{ Scan(...any) error }) (planning.Keyword, error) {
	var k planning.Keyword
	var intent, status string
	err := row.Scan(&k.ID, &k.AccountID, &k.SiteID, &k.SectorID, &k.Text, &k.Normalized, &k.Volume, &k.Difficulty,
		&k.CPC, &intent, &status, &k.ClusterID, &k.Source, timeCol{&k.CreatedAt}, timeCol{&k.UpdatedAt})
	k.Intent, k.Status = planning.Intent(intent), planning.Status(status)
	return k, err
}

// CreateKeywords stores keywords in bulk (multi-row INSERTs in one
// transaction), all or none.
func (s *Store) CreateKeywords(ctx context.Context, scope igny8.Scope, kws []planning.Keyword) error {
	const op = "sqlstore.CreateKeywords"
	if len(kws) == 0 {
		return nil
	}
	return s.inTx(ctx, func(ctx context.Context, db bun.IDB) error {
		if err := s.checkSite(ctx, op, scope); err != nil {
			return err
		}
		row := placeholders(keywordColCount)
		args := make([]any, 0, planningBatchRows*keywordColCount)
		var q strings.Builder
		for start := 0; start < len(kws); start += planningBatchRows {
			batch := kws[start:min(start+planningBatchRows, len(kws))]
			q.Reset()
			q.WriteString(`INSERT INTO planning_keywords (` + keywordCols + `) VALUES `)
			args = args[:0]
			for i, k := range batch {
				if i > 0 {
					q.WriteByte(',')
				}
				q.WriteString(row)
				args = append(args, k.ID, scope.AccountID, scope.SiteID, scope.SectorID, k.Text, k.Normalized, k.Volume,
					k.Difficulty, k.CPC, string(k.Intent), string(k.Status), k.ClusterID, k.Source, utc(k.CreatedAt), utc(k.UpdatedAt))
			}
			if _, err := db.ExecContext(ctx, q.String(), args...); err != nil {
				if classify(err) == classUnique {
					return igny8.Errorf(igny8.CodeConflict, op, "a keyword of this batch (ids %s…%s) already exists in the site and sector: %w", batch[0].ID, batch[len(batch)-1].ID, err)
				}
				return mapErr(op, err)
			}
		}
		return nil
	})
}

// GetKeyword returns a keyword of the scope.
func (s *Store) GetKeyword(ctx context.Context, scope igny8.Scope, id string) (planning.Keyword, error) {
	const op = "sqlstore.GetKeyword"
	if err := scope.Validate(op); err != nil {
		return planning.Keyword{}, err
	}
	c := tenantCond(scope).and("id = ?", id)
	k, err := scanKeyword(s.IDB(ctx).QueryRowContext(ctx, `SELECT `+keywordCols+` FROM planning_keywords WHERE `+c.String(), c.args...))
	if err != nil {
		return planning.Keyword{}, rowErr(op, "keyword", id, err)
	}
	return k, nil
}

// ListKeywords lists the scope's keywords in ID order.
func (s *Store) ListKeywords(ctx context.Context, scope igny8.Scope, f planning.KeywordFilter, p igny8.PageRequest) ([]planning.Keyword, error) {
	const op = "sqlstore.ListKeywords"
	if err := scope.Validate(op); err != nil {
		return nil, err
	}
	after, limit := page(p)
	c := tenantCond(scope).and("id > ?", after)
	statusCond(c, f.Status)
	switch {
	case f.Unclustered:
		c.and("cluster_id = ''")
	case f.ClusterID != "":
		c.and("cluster_id = ?", f.ClusterID)
	}
	if f.Intent != "" {
		c.and("intent = ?", string(f.Intent))
	}
	if f.MinVolume > 0 {
		c.and("volume >= ?", f.MinVolume)
	}
	if f.MaxVolume > 0 {
		c.and("volume <= ?", f.MaxVolume)
	}
	if n := planning.Normalize(f.Contains); n != "" {
		// instr/strpos instead of LIKE: no wildcard in the text can widen
		// the match.
		if s.dialect == DialectPostgres {
			c.and("strpos(normalized, ?) > 0", n)
		} else {
			c.and("instr(normalized, ?) > 0", n)
		}
	}
	rows, err := s.hotQuery(ctx, `SELECT `+keywordCols+` FROM planning_keywords WHERE `+c.String()+` ORDER BY id LIMIT ?`, append(c.args, limit)...)
	if err != nil {
		return nil, mapErr(op, err)
	}
	return collect(op, rows, func(r *sql.Rows) (planning.Keyword, error) { return scanKeyword(r) })
}

// KeywordsByNormalized returns the keywords of the scope's site and exactly
// its sector ("" is the site's own keywords) with one of the normalized
// texts.
func (s *Store) KeywordsByNormalized(ctx context.Context, scope igny8.Scope, texts []string) ([]planning.Keyword, error) {
	const op = "sqlstore.KeywordsByNormalized"
	if err := scope.RequireSite(op); err != nil {
		return nil, err
	}
	out := []planning.Keyword{}
	for start := 0; start < len(texts); start += planningBatchRows {
		batch := texts[start:min(start+planningBatchRows, len(texts))]
		c := &cond{}
		c.and("account_id = ?", scope.AccountID).and("site_id = ?", scope.SiteID).and("sector_id = ?", scope.SectorID)
		args := make([]any, len(batch))
		for i, t := range batch {
			args[i] = t
		}
		c.and("normalized IN "+placeholders(len(batch)), args...)
		rows, err := s.IDB(ctx).QueryContext(ctx, `SELECT `+keywordCols+` FROM planning_keywords WHERE `+c.String()+` ORDER BY id`, c.args...)
		if err != nil {
			return nil, mapErr(op, err)
		}
		got, err := collect(op, rows, func(r *sql.Rows) (planning.Keyword, error) { return scanKeyword(r) })
		if err != nil {
			return nil, err
		}
		out = append(out, got...)
	}
	return out, nil
}

// UpdateKeyword changes a keyword of the scope.
func (s *Store) UpdateKeyword(ctx context.Context, scope igny8.Scope, k planning.Keyword) error {
	const op = "sqlstore.UpdateKeyword"
	if err := scope.Validate(op); err != nil {
		return err
	}
	c := tenantCond(scope).and("id = ?", k.ID)
	args := append([]any{k.Text, k.Normalized, k.Volume, k.Difficulty, k.CPC, string(k.Intent), string(k.Status), k.ClusterID,
		k.Source, utc(k.UpdatedAt)}, c.args...)
	res, err := s.IDB(ctx).ExecContext(ctx, `UPDATE planning_keywords SET text = ?, normalized = ?, volume = ?, difficulty = ?,
		cpc = ?, intent = ?, status = ?, cluster_id = ?, source = ?, updated_at = ? WHERE `+c.String(), args...)
	return affected(op, "keyword", k.ID, res, err)
}

// DeleteKeyword deletes a keyword of the scope.
func (s *Store) DeleteKeyword(ctx context.Context, scope igny8.Scope, id string) error {
	const op = "sqlstore.DeleteKeyword"
	if err := scope.Validate(op); err != nil {
		return err
	}
	c := tenantCond(scope).and("id = ?", id)
	res, err := s.IDB(ctx).ExecContext(ctx, `DELETE FROM planning_keywords WHERE `+c.String(), c.args...)
	return affected(op, "keyword", id, res, err)
}

// AssignKeywords moves keywords of the scope into a cluster of the scope.
func (s *Store) AssignKeywords(ctx context.Context, scope igny8.Scope, clusterID string, ids []string, now time.Time) error {
	const op = "sqlstore.AssignKeywords"
	if err := scope.Validate(op); err != nil {
		return err
	}
	return s.inTx(ctx, func(ctx context.Context, db bun.IDB) error {
		if clusterID != "" {
			c := tenantCond(scope).and("id = ?", clusterID)
			var one int
			if err := db.QueryRowContext(ctx, `SELECT 1 FROM planning_clusters WHERE `+c.String(), c.args...).Scan(&one); err != nil {
				return rowErr(op, "cluster", clusterID, err)
			}
		}
		for start := 0; start < len(ids); start += planningBatchRows {
			batch := ids[start:min(start+planningBatchRows, len(ids))]
			c := s.byIDsCond(scope)
			args := make([]any, len(batch))
			for i, id := range batch {
				args[i] = id
			}
			c.and("id IN "+placeholders(len(batch)), args...)
			res, err := db.ExecContext(ctx, `UPDATE planning_keywords SET cluster_id = ?, updated_at = ? WHERE `+c.String(),
				append([]any{clusterID, utc(now)}, c.args...)...)
			if err != nil {
				return mapErr(op, err)
			}
			if n, err := res.RowsAffected(); err == nil && int(n) != len(batch) {
				return igny8.Errorf(igny8.CodeNotFound, op, "%d of %d keywords not found in scope %s", len(batch)-int(n), len(batch), scope)
			}
		}
		return nil
	})
}

// SetKeywordClusters moves keywords into clusters in bulk: one UPDATE …
// FROM per 500 keywords.
func (s *Store) SetKeywordClusters(ctx context.Context, scope igny8.Scope, assign map[string]string, now time.Time) error {
	const op = "sqlstore.SetKeywordClusters"
	if err := scope.Validate(op); err != nil {
		return err
	}
	ids := make([]string, 0, len(assign))
	clusterSet := map[string]bool{}
	for k, c := range assign {
		ids = append(ids, k)
		if c != "" {
			clusterSet[c] = true
		}
	}
	sort.Strings(ids)
	clusters := make([]string, 0, len(clusterSet))
	for c := range clusterSet {
		clusters = append(clusters, c)
	}
	sort.Strings(clusters)
	return s.inTx(ctx, func(ctx context.Context, db bun.IDB) error {
		for start := 0; start < len(clusters); start += planningBatchRows {
			batch := clusters[start:min(start+planningBatchRows, len(clusters))]
			args := make([]any, len(batch))
			for i, id := range batch {
				args[i] = id
			}
			c := s.byIDsCond(scope).and("id IN "+placeholders(len(batch)), args...)
			var n int
			if err := db.QueryRowContext(ctx, `SELECT count(*) FROM planning_clusters WHERE `+c.String(), c.args...).Scan(&n); err != nil {
				return mapErr(op, err)
			}
			if n != len(batch) {
				return igny8.Errorf(igny8.CodeNotFound, op, "%d of %d clusters not found in scope %s", len(batch)-n, len(batch), scope)
			}
		}
		if s.dialect == DialectPostgres {
			return s.setClustersByCluster(ctx, db, op, scope, ids, assign, now)
		}
		var q strings.Builder
		for start := 0; start < len(ids); start += planningBatchRows {
			batch := ids[start:min(start+planningBatchRows, len(ids))]
			q.Reset()
			// SQLite: UPDATE … FROM a derived table of (id, cluster) pairs,
			// joined to the keywords by primary key.
			q.WriteString(`UPDATE planning_keywords SET cluster_id = v.c, updated_at = ? FROM (`)
			args := make([]any, 0, 2*len(batch)+4)
			args = append(args, utc(now))
			for i, id := range batch {
				if i == 0 {
					q.WriteString(`SELECT ? AS id, ? AS c`)
				} else {
					q.WriteString(` UNION ALL SELECT ?, ?`)
				}
				args = append(args, id, assign[id])
			}
			c := s.byIDsCond(scope).and("planning_keywords.id = v.id")
			q.WriteString(`) AS v WHERE ` + c.String())
			res, err := db.ExecContext(ctx, q.String(), append(args, c.args...)...)
			if err != nil {
				return mapErr(op, err)
			}
			if n, err := res.RowsAffected(); err == nil && int(n) != len(batch) {
				return igny8.Errorf(igny8.CodeNotFound, op, "%d of %d keywords not found in scope %s", len(batch)-int(n), len(batch), scope)
			}
		}
		return nil
	})
}

// setClustersByCluster is SetKeywordClusters on Postgres: one UPDATE per
// target cluster with an id list. A join against a VALUES list lets the
// planner pick a nested loop over a sequential scan when the table has no
// statistics yet (right after a bulk import: measured 50 s per 500 rows);
// a short IN list on the primary key is planned as an index scan whatever
// the statistics say.
func (s *Store) setClustersByCluster(ctx context.Context, db bun.IDB, op string, scope igny8.Scope, ids []string, assign map[string]string, now time.Time) error {
	byCluster := map[string][]any{}
	var order []string
	for _, id := range ids {
		c := assign[id]
		if _, ok := byCluster[c]; !ok {
			order = append(order, c)
		}
		byCluster[c] = append(byCluster[c], id)
	}
	for _, cl := range order {
		members := byCluster[cl]
		for start := 0; start < len(members); start += planningBatchRows {
			batch := members[start:min(start+planningBatchRows, len(members))]
			c := s.byIDsCond(scope).and("id IN "+placeholders(len(batch)), batch...)
			res, err := db.ExecContext(ctx, `UPDATE planning_keywords SET cluster_id = ?, updated_at = ? WHERE `+c.String(),
				append([]any{cl, utc(now)}, c.args...)...)
			if err != nil {
				return mapErr(op, err)
			}
			if n, err := res.RowsAffected(); err == nil && int(n) != len(batch) {
				return igny8.Errorf(igny8.CodeNotFound, op, "%d of %d keywords not found in scope %s", len(batch)-int(n), len(batch), scope)
			}
		}
	}
	return nil
}

// byIDsCond scopes a statement that selects rows by a list of ids. The
// tenant terms are written so that no index can serve them (+column on
// SQLite, column || ” on Postgres): the planner then finds the rows by
// primary key. Without this, on a freshly loaded table (no statistics yet)
// both planners chose the tenant index and scanned the whole site once per
// statement, which made clustering 100,000 keywords take minutes.
func (s *Store) byIDsCond(scope igny8.Scope) *cond {
	col := func(name string) string {
		if s.dialect == DialectSQLite {
			return "+" + name
		}
		return "(" + name + " || '')"
	}
	c := &cond{}
	c.and(col("account_id")+" = ?", scope.AccountID)
	if scope.SiteID != "" {
		c.and(col("site_id")+" = ?", scope.SiteID)
	}
	if scope.SectorID != "" {
		c.and(col("sector_id")+" = ?", scope.SectorID)
	}
	return c
}

// ---- clusters ----

const clusterCols = `id, account_id, site_id, sector_id, name, description, intent, pillar_keyword_id, pillar_keyword,
	keyword_count, total_volume, mean_difficulty, status, created_at, updated_at`

const clusterColCount = 15

func scanCluster(row interface{ Scan(...any) error }) (planning.Cluster, error) {
	var c planning.Cluster
	var intent, status string
	err := row.Scan(&c.ID, &c.AccountID, &c.SiteID, &c.SectorID, &c.Name, &c.Description, &intent, &c.PillarKeywordID,
		&c.PillarKeyword, &c.KeywordCount, &c.TotalVolume, &c.MeanDifficulty, &status, timeCol{&c.CreatedAt}, timeCol{&c.UpdatedAt})
	c.Intent, c.Status = planning.Intent(intent), planning.Status(status)
	return c, err
}

// CreateClusters stores clusters in bulk, all or none.
func (s *Store) CreateClusters(ctx context.Context, scope igny8.Scope, cs []planning.Cluster) error {
	const op = "sqlstore.CreateClusters"
	if len(cs) == 0 {
		return nil
	}
	return s.inTx(ctx, func(ctx context.Context, db bun.IDB) error {
		if err := s.checkSite(ctx, op, scope); err != nil {
			return err
		}
		row := placeholders(clusterColCount)
		var q strings.Builder
		for start := 0; start < len(cs); start += planningBatchRows {
			batch := cs[start:min(start+planningBatchRows, len(cs))]
			q.Reset()
			q.WriteString(`INSERT INTO planning_clusters (` + clusterCols + `) VALUES `)
			args := make([]any, 0, len(batch)*clusterColCount)
			for i, c := range batch {
				if i > 0 {
					q.WriteByte(',')
				}
				q.WriteString(row)
				args = append(args, c.ID, scope.AccountID, scope.SiteID, scope.SectorID, c.Name, c.Description, string(c.Intent),
					c.PillarKeywordID, c.PillarKeyword, c.KeywordCount, c.TotalVolume, c.MeanDifficulty, string(c.Status),
					utc(c.CreatedAt), utc(c.UpdatedAt))
			}
			if _, err := db.ExecContext(ctx, q.String(), args...); err != nil {
				return writeErr(op, "cluster", batch[0].ID, err)
			}
		}
		return nil
	})
}

// GetCluster returns a cluster of the scope.
func (s *Store) GetCluster(ctx context.Context, scope igny8.Scope, id string) (planning.Cluster, error) {
	const op = "sqlstore.GetCluster"
	if err := scope.Validate(op); err != nil {
		return planning.Cluster{}, err
	}
	c := tenantCond(scope).and("id = ?", id)
	cl, err := scanCluster(s.IDB(ctx).QueryRowContext(ctx, `SELECT `+clusterCols+` FROM planning_clusters WHERE `+c.String(), c.args...))
	if err != nil {
		return planning.Cluster{}, rowErr(op, "cluster", id, err)
	}
	return cl, nil
}

// ListClusters lists the scope's clusters in ID order.
func (s *Store) ListClusters(ctx context.Context, scope igny8.Scope, f planning.ClusterFilter, p igny8.PageRequest) ([]planning.Cluster, error) {
	const op = "sqlstore.ListClusters"
	if err := scope.Validate(op); err != nil {
		return nil, err
	}
	after, limit := page(p)
	c := tenantCond(scope).and("id > ?", after)
	statusCond(c, f.Status)
	rows, err := s.hotQuery(ctx, `SELECT `+clusterCols+` FROM planning_clusters WHERE `+c.String()+` ORDER BY id LIMIT ?`, append(c.args, limit)...)
	if err != nil {
		return nil, mapErr(op, err)
	}
	return collect(op, rows, func(r *sql.Rows) (planning.Cluster, error) { return scanCluster(r) })
}

// UpdateCluster changes a cluster of the scope.
func (s *Store) UpdateCluster(ctx context.Context, scope igny8.Scope, cl planning.Cluster) error {
	const op = "sqlstore.UpdateCluster"
	if err := scope.Validate(op); err != nil {
		return err
	}
	c := tenantCond(scope).and("id = ?", cl.ID)
	args := append([]any{cl.Name, cl.Description, string(cl.Intent), cl.PillarKeywordID, cl.PillarKeyword, cl.KeywordCount,
		cl.TotalVolume, cl.MeanDifficulty, string(cl.Status), utc(cl.UpdatedAt)}, c.args...)
	res, err := s.IDB(ctx).ExecContext(ctx, `UPDATE planning_clusters SET name = ?, description = ?, intent = ?,
		pillar_keyword_id = ?, pillar_keyword = ?, keyword_count = ?, total_volume = ?, mean_difficulty = ?, status = ?,
		updated_at = ? WHERE `+c.String(), args...)
	return affected(op, "cluster", cl.ID, res, err)
}

// DeleteCluster deletes a cluster of the scope and takes its keywords out
// of it.
func (s *Store) DeleteCluster(ctx context.Context, scope igny8.Scope, id string) error {
	const op = "sqlstore.DeleteCluster"
	if err := scope.Validate(op); err != nil {
		return err
	}
	return s.inTx(ctx, func(ctx context.Context, db bun.IDB) error {
		c := tenantCond(scope).and("id = ?", id)
		res, err := db.ExecContext(ctx, `DELETE FROM planning_clusters WHERE `+c.String(), c.args...)
		if err := affected(op, "cluster", id, res, err); err != nil {
			return err
		}
		k := tenantCond(scope.Site()).and("cluster_id = ?", id)
		_, err = db.ExecContext(ctx, `UPDATE planning_keywords SET cluster_id = '' WHERE `+k.String(), k.args...)
		return mapErr(op, err)
	})
}

// ---- ideas ----

const ideaCols = `id, account_id, site_id, sector_id, cluster_id, title, description, outline, content_type, primary_keyword,
	primary_normalized, secondary_keywords, estimated_words, status, cannibalizes, created_at, updated_at`

const ideaColCount = 17

func scanIdea(row interface{ Scan(...any) error }) (planning.ContentIdea, error) {
	var i planning.ContentIdea
	var ctype, status, primaryNorm string
	err := row.Scan(&i.ID, &i.AccountID, &i.SiteID, &i.SectorID, &i.ClusterID, &i.Title, &i.Description, jsonCol{&i.Outline},
		&ctype, &i.PrimaryKeyword, &primaryNorm, jsonCol{&i.SecondaryKeywords}, &i.EstimatedWords, &status,
		jsonCol{&i.Cannibalizes}, timeCol{&i.CreatedAt}, timeCol{&i.UpdatedAt})
	i.ContentType, i.Status = planning.ContentType(ctype), planning.Status(status)
	return i, err
}

// CreateIdeas stores ideas, all or none.
func (s *Store) CreateIdeas(ctx context.Context, scope igny8.Scope, ideas []planning.ContentIdea) error {
	const op = "sqlstore.CreateIdeas"
	if len(ideas) == 0 {
		return nil
	}
	return s.inTx(ctx, func(ctx context.Context, db bun.IDB) error {
		if err := s.checkSite(ctx, op, scope); err != nil {
			return err
		}
		for _, i := range ideas {
			_, err := db.ExecContext(ctx, `INSERT INTO planning_ideas (`+ideaCols+`) VALUES `+placeholders(ideaColCount),
				i.ID, scope.AccountID, scope.SiteID, scope.SectorID, i.ClusterID, i.Title, i.Description, jsonText(i.Outline),
				string(i.ContentType), i.PrimaryKeyword, planning.Normalize(i.PrimaryKeyword), jsonText(i.SecondaryKeywords),
				i.EstimatedWords, string(i.Status), jsonText(i.Cannibalizes), utc(i.CreatedAt), utc(i.UpdatedAt))
			if err != nil {
				return writeErr(op, "idea", i.ID, err)
			}
		}
		return nil
	})
}

// GetIdea returns an idea of the scope.
func (s *Store) GetIdea(ctx context.Context, scope igny8.Scope, id string) (planning.ContentIdea, error) {
	const op = "sqlstore.GetIdea"
	if err := scope.Validate(op); err != nil {
		return planning.ContentIdea{}, err
	}
	c := tenantCond(scope).and("id = ?", id)
	i, err := scanIdea(s.IDB(ctx).QueryRowContext(ctx, `SELECT `+ideaCols+` FROM planning_ideas WHERE `+c.String(), c.args...))
	if err != nil {
		return planning.ContentIdea{}, rowErr(op, "idea", id, err)
	}
	return i, nil
}

// ListIdeas lists the scope's ideas in ID order.
func (s *Store) ListIdeas(ctx context.Context, scope igny8.Scope, f planning.IdeaFilter, p igny8.PageRequest) ([]planning.ContentIdea, error) {
	const op = "sqlstore.ListIdeas"
	if err := scope.Validate(op); err != nil {
		return nil, err
	}
	after, limit := page(p)
	c := tenantCond(scope).and("id > ?", after)
	statusCond(c, f.Status)
	if f.ClusterID != "" {
		c.and("cluster_id = ?", f.ClusterID)
	}
	rows, err := s.IDB(ctx).QueryContext(ctx, `SELECT `+ideaCols+` FROM planning_ideas WHERE `+c.String()+` ORDER BY id LIMIT ?`, append(c.args, limit)...)
	if err != nil {
		return nil, mapErr(op, err)
	}
	return collect(op, rows, func(r *sql.Rows) (planning.ContentIdea, error) { return scanIdea(r) })
}

// IdeasByPrimaryKeyword returns the scope's ideas whose normalized primary
// keyword is one of texts.
func (s *Store) IdeasByPrimaryKeyword(ctx context.Context, scope igny8.Scope, texts []string) ([]planning.ContentIdea, error) {
	const op = "sqlstore.IdeasByPrimaryKeyword"
	if err := scope.Validate(op); err != nil {
		return nil, err
	}
	out := []planning.ContentIdea{}
	for start := 0; start < len(texts); start += planningBatchRows {
		batch := texts[start:min(start+planningBatchRows, len(texts))]
		args := make([]any, len(batch))
		for i, t := range batch {
			args[i] = t
		}
		c := tenantCond(scope).and("primary_normalized IN "+placeholders(len(batch)), args...)
		rows, err := s.IDB(ctx).QueryContext(ctx, `SELECT `+ideaCols+` FROM planning_ideas WHERE `+c.String()+` ORDER BY id`, c.args...)
		if err != nil {
			return nil, mapErr(op, err)
		}
		got, err := collect(op, rows, func(r *sql.Rows) (planning.ContentIdea, error) { return scanIdea(r) })
		if err != nil {
			return nil, err
		}
		out = append(out, got...)
	}
	return out, nil
}

// UpdateIdea changes an idea of the scope.
func (s *Store) UpdateIdea(ctx context.Context, scope igny8.Scope, i planning.ContentIdea) error {
	const op = "sqlstore.UpdateIdea"
	if err := scope.Validate(op); err != nil {
		return err
	}
	c := tenantCond(scope).and("id = ?", i.ID)
	args := append([]any{i.ClusterID, i.Title, i.Description, jsonText(i.Outline), string(i.ContentType), i.PrimaryKeyword,
		planning.Normalize(i.PrimaryKeyword), jsonText(i.SecondaryKeywords), i.EstimatedWords, string(i.Status),
		jsonText(i.Cannibalizes), utc(i.UpdatedAt)}, c.args...)
	res, err := s.IDB(ctx).ExecContext(ctx, `UPDATE planning_ideas SET cluster_id = ?, title = ?, description = ?, outline = ?,
		content_type = ?, primary_keyword = ?, primary_normalized = ?, secondary_keywords = ?, estimated_words = ?,
		status = ?, cannibalizes = ?, updated_at = ? WHERE `+c.String(), args...)
	return affected(op, "idea", i.ID, res, err)
}

// DeleteIdea deletes an idea of the scope.
func (s *Store) DeleteIdea(ctx context.Context, scope igny8.Scope, id string) error {
	const op = "sqlstore.DeleteIdea"
	if err := scope.Validate(op); err != nil {
		return err
	}
	c := tenantCond(scope).and("id = ?", id)
	res, err := s.IDB(ctx).ExecContext(ctx, `DELETE FROM planning_ideas WHERE `+c.String(), c.args...)
	return affected(op, "idea", id, res, err)
}
