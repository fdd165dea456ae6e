package service

import (
	"context"
	"fmt"
	"io"

	"whistle/domain"
	"whistle/store"
)

// A project's problems and files: its service officer raises what blocks it as an
// enterprise_problem case that runs the normal lifecycle (and shows on the investor's
// enterprise too), and who manages or applies for it keeps the stages' documents and the
// monthly reports' site photos.

// RaiseProjectProblem files problem p of project id as an enterprise_problem case in the
// project's region, by its 首席服务官, its 金牌代办员 or an administrator or leader of its
// region, and ties the case to the project (and to the investor's enterprise when the
// registry holds it).
func (s *Service) RaiseProjectProblem(ctx context.Context, u domain.User, id int64, p domain.ProjectProblem) (*domain.Case, error) {
	proj, err := s.db.Project(ctx, id)
	if err != nil || !domain.RoleIn(u, proj).Sees() {
		return nil, notFoundAs(err, "project %d not found", id)
	}
	if !domain.RoleIn(u, proj).Manages() {
		return nil, domain.Errorf(domain.EFORBIDDEN, "a project's problems are raised by its 首席服务官, its 金牌代办员, or an administrator or leader of its region")
	}
	if err := p.Validate(); err != nil {
		return nil, err
	}
	if p.Matter == "" {
		if p.Matter, err = s.ProblemMatter(ctx); err != nil {
			return nil, err
		}
		if p.Matter == "" {
			return nil, domain.Invalidf("matter", "no matter given and none chosen for enterprise problems: name one, or an administrator sets problem_matter")
		}
	}
	if _, err := s.db.Matter(ctx, p.Matter); err != nil {
		return nil, domain.Invalidf("matter", "unknown matter %q", p.Matter)
	}
	desc := fmt.Sprintf("项目「%s」（%s，%s）%s问题", proj.Name, proj.InvestorName, domain.StageNames[proj.Stage], domain.ProblemCategoryNames[p.Category])
	if p.Description != "" {
		desc += "：" + p.Description
	}
	n := domain.NewCase{Matter: p.Matter, Title: p.CaseTitle(proj.Name), Description: desc, Region: proj.Region,
		Address: proj.Park + " " + proj.Name, Channel: "liaison", Kind: "enterprise_problem", Reporter: domain.Reporter{UserID: u.ID, Name: u.Name}}
	c, err := s.file(ctx, u, n, domain.OnProject)
	if err != nil {
		return nil, err
	}
	err = s.db.Update(ctx, func(tx *store.Tx) error {
		if err := tx.LinkProjectProblem(c.ID, id, p.Category, u.ID); err != nil {
			return err
		}
		e, err := tx.EnterpriseID(proj.Investor)
		if domain.ErrorCode(err) == domain.ENOTFOUND {
			return nil
		}
		if err != nil {
			return err
		}
		return tx.LinkEnterpriseCase(c.ID, e, "project", u.ID, 0, 0)
	})
	return c, err
}

// AddProjectFiles keeps documents of a stage (stage) or site photos of a month's report
// (month) for project id: who manages it or applies for it.
func (s *Service) AddProjectFiles(ctx context.Context, u domain.User, id int64, stage domain.Stage, month string, files []Upload) ([]domain.ProjectFile, error) {
	proj, err := s.db.Project(ctx, id)
	if err != nil || !domain.RoleIn(u, proj).Sees() {
		return nil, notFoundAs(err, "project %d not found", id)
	}
	if r := domain.RoleIn(u, proj); !r.Manages() && !r.Applicant() {
		return nil, domain.Errorf(domain.EFORBIDDEN, "a project's documents are kept by its agent, leader or investor")
	}
	if err := domain.ValidFileTarget(stage, month); err != nil {
		return nil, err
	}
	if len(files) == 0 {
		return nil, domain.Invalidf("file", "no file was sent")
	}
	as, err := s.storeUploads(ctx, files)
	if err != nil {
		return nil, err
	}
	out := make([]domain.ProjectFile, len(as))
	err = s.db.Update(ctx, func(tx *store.Tx) error {
		for i, a := range as {
			out[i] = domain.ProjectFile{ProjectID: id, Stage: stage, Month: month, SHA256: a.SHA256, Name: a.Name,
				ContentType: a.ContentType, Size: a.Size, ThumbSHA256: a.ThumbSHA256, UploadedBy: u.ID}
			if err := tx.AddProjectFile(&out[i]); err != nil {
				return err
			}
		}
		return nil
	})
	return out, err
}

// OpenProjectFile opens a project's file (or its thumbnail) for who sees the project.
func (s *Service) OpenProjectFile(ctx context.Context, u domain.User, id int64, thumb bool) (domain.Attachment, io.ReadSeekCloser, error) {
	fs, err := s.db.ProjectFiles(ctx, 0, id)
	if err != nil || len(fs) == 0 {
		return domain.Attachment{}, nil, notFoundAs(err, "file %d not found", id)
	}
	f := fs[0]
	if p, err := s.db.Project(ctx, f.ProjectID); err != nil || !domain.RoleIn(u, p).Sees() {
		return domain.Attachment{}, nil, domain.Errorf(domain.ENOTFOUND, "file %d not found", id)
	}
	a := domain.Attachment{ID: f.ID, SHA256: f.SHA256, Name: f.Name, ContentType: f.ContentType, Size: f.Size, ThumbSHA256: f.ThumbSHA256, CreatedAt: f.CreatedAt}
	return s.openFiled(ctx, a, thumb, "file")
}

// MyProjects lists the projects u serves as 首席服务官 or 金牌代办员 or invests in,
// whatever else u reads: the phone's list of one's own projects.
func (s *Service) MyProjects(ctx context.Context, u domain.User) ([]*domain.Project, error) {
	f := domain.ProjectFilter{Own: u.ID, Status: "active"}
	if err := f.Validate(); err != nil {
		return nil, err
	}
	return s.db.Projects(ctx, f)
}

// ProjectStaff lists who may be named on project p's form: the leaders of its region
// (首席服务官) and the liaison cadres (金牌代办员), by id and name only, for who enters
// projects of the region or manages p.
func (s *Service) ProjectStaff(ctx context.Context, u domain.User, p *domain.Project) (leaders, agents []domain.User, err error) {
	if r := domain.RoleIn(u, p); !r.Admin && (p.ID == 0 || !r.Manages()) {
		return nil, nil, domain.Errorf(domain.EFORBIDDEN, "the project's form is for who enters or manages it")
	}
	all, err := s.db.Users(ctx)
	if err != nil {
		return nil, nil, err
	}
	for _, x := range all {
		if x.Disabled {
			continue
		}
		named := domain.User{ID: x.ID, Name: x.Name, Login: x.Login}
		for _, g := range x.Grants {
			if g.Role == domain.RoleLeader && (domain.Within(p.Region, g.Region) || domain.Within(g.Region, p.Region)) {
				leaders = append(leaders, named)
				break
			}
			if g.Role == domain.RoleLiaison {
				agents = append(agents, named)
				break
			}
		}
	}
	return leaders, agents, nil
}
