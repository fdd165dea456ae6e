package service

import (
	"context"
	"slices"

	"whistle/domain"
	"whistle/store"
)

// 机构编制调研: the staffing office's survey rounds over chosen units of its region, a
// finding per unit, and the follow-up items the findings raise on the round's
// rectification list (督查整改), whose 销号 the region's leaders decide as for any list.

// CreateStaffSurvey opens a round over units of the region, with its rectification
// list: the office of the region does.
func (s *Service) CreateStaffSurvey(ctx context.Context, u domain.User, v domain.StaffSurvey) (domain.StaffSurvey, error) {
	if err := v.Validate(); err != nil {
		return v, err
	}
	orgOf, err := s.staffOrgs(ctx)
	if err != nil {
		return v, err
	}
	if !domain.StaffOffice(u, v.Region, orgOf) {
		return v, domain.Errorf(domain.EFORBIDDEN, "only the staffing office (编办) of the region opens a survey round")
	}
	err = s.db.Update(ctx, func(tx *store.Tx) error {
		for _, id := range v.UnitIDs {
			unit, err := tx.StaffUnit(id)
			if err != nil || !domain.Within(unit.Region, v.Region) {
				return domain.Errorf(domain.EINVALID, "unit_ids: unit %d is not a unit of region %s", id, v.Region)
			}
		}
		l := domain.RectList{Title: "机构编制调研整改：" + v.Title, Source: domain.RectInspection, SourceRef: "机构编制调研", Region: v.Region, OwnerID: u.ID}
		if err := tx.InsertRectList(&l); err != nil {
			return err
		}
		v.RectListID = l.ID
		if err := tx.InsertStaffSurvey(&v, u.ID); err != nil {
			return err
		}
		return s.audit(ctx, tx, u, "staff_survey.create", objectID("staff_survey", v.ID), domain.Change{After: v})
	})
	return v, err
}

// StaffSurveys lists the rounds of region ("" u's first), newest first.
func (s *Service) StaffSurveys(ctx context.Context, u domain.User, region string) ([]domain.StaffSurvey, error) {
	region, _, err := s.staffRegion(ctx, u, region)
	if err != nil {
		return nil, err
	}
	return s.db.StaffSurveys(ctx, region)
}

// StaffSurveyView is a round with its findings.
type StaffSurveyView struct {
	Survey   domain.StaffSurvey    `json:"survey"`
	Findings []domain.StaffFinding `json:"findings"`
	MayAct   bool                  `json:"may_act"`
}

// StaffSurvey reads a round u reads (the office and leading group of its region); to
// anyone else it does not exist.
func (s *Service) StaffSurvey(ctx context.Context, u domain.User, id int64) (StaffSurveyView, error) {
	v, fs, err := s.db.StaffSurvey(ctx, id)
	if err != nil {
		return StaffSurveyView{}, err
	}
	orgOf, err := s.staffOrgs(ctx)
	if err != nil {
		return StaffSurveyView{}, err
	}
	if !domain.StaffReads(u, v.Region, orgOf) {
		return StaffSurveyView{}, domain.Errorf(domain.ENOTFOUND, "survey %d not found", id)
	}
	return StaffSurveyView{Survey: v, Findings: fs, MayAct: domain.StaffOffice(u, v.Region, orgOf)}, nil
}

// StaffFindingRequest is a finding with, when it needs one, the rectification item it
// raises (its problem defaults to the finding).
type StaffFindingRequest struct {
	domain.StaffFinding
	Rectify *domain.RectItem `json:"rectify,omitempty"`
}

// RecordStaffFinding records what the round found at one of its units, raising a
// rectification item on the round's list when asked: the office does.
func (s *Service) RecordStaffFinding(ctx context.Context, u domain.User, surveyID int64, r StaffFindingRequest) (domain.StaffFinding, error) {
	f := r.StaffFinding
	v, err := s.StaffSurvey(ctx, u, surveyID)
	if err != nil {
		return f, err
	}
	if !v.MayAct {
		return f, domain.Errorf(domain.EFORBIDDEN, "only the staffing office (编办) records a round's findings")
	}
	if err := f.Validate(); err != nil {
		return f, err
	}
	if !slices.Contains(v.Survey.UnitIDs, f.UnitID) {
		return f, domain.Errorf(domain.EINVALID, "unit_id: unit %d is not in this round", f.UnitID)
	}
	f.SurveyID, f.RectItemID = surveyID, 0
	var it domain.RectItem
	if r.Rectify != nil {
		it = *r.Rectify
		if it.Problem == "" {
			it.Problem = f.Finding
		}
		if err := it.Validate(); err != nil {
			return f, err
		}
		it.ListID, it.Status, it.CaseID = v.Survey.RectListID, domain.RectOpen, 0
		for i := range it.Milestones {
			it.Milestones[i].Done = ""
		}
	}
	err = s.db.Update(ctx, func(tx *store.Tx) error {
		if r.Rectify != nil {
			if !tx.OrgExists(it.Org) {
				return domain.Errorf(domain.EINVALID, "rectify.org: unknown org %q", it.Org)
			}
			if err := tx.InsertRectItem(&it); err != nil {
				return err
			}
			if err := tx.AddRectEvent(it.ID, u.ID, domain.RectEdit, ""); err != nil {
				return err
			}
			f.RectItemID = it.ID
		}
		if err := tx.InsertStaffFinding(&f, u.ID); err != nil {
			return err
		}
		return s.audit(ctx, tx, u, "staff_survey.finding", objectID("staff_survey", surveyID), domain.Change{After: f})
	})
	return f, err
}
