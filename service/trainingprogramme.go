package service

import (
	"context"

	"whistle/domain"
	"whistle/store"
)

// A class's programme: sessions (study visits by group), attendance and feedback. Who
// runs the class records them; who reads the class reads them.

// SessionView is a session with its attendance and feedback summed.
type SessionView struct {
	domain.TrainingSession
	Attendance domain.Attendance `json:"attendance"`
}

// SessionDetail is one session: the trainees it expects with their marks, and its
// feedback.
type SessionDetail struct {
	Class    domain.TrainingClass `json:"class"`
	Session  SessionView          `json:"session"`
	Expected []domain.Trainee     `json:"expected"`
	Marks    map[int64]string     `json:"marks"`
	Feedback []domain.Feedback    `json:"feedback"`
	Manages  bool                 `json:"manages"`
}

// AttendanceMarks is the body of a session's attendance: trainee → mark.
type AttendanceMarks struct {
	Marks map[int64]string `json:"marks"`
}

// TrainingProgramme lists a class's sessions in time order with their sums.
func (s *Service) TrainingProgramme(ctx context.Context, u domain.User, id int64) ([]SessionView, error) {
	c, err := s.readClass(ctx, u, id)
	if err != nil {
		return nil, err
	}
	ts, sessions, marks, feedback, err := s.programmeOf(ctx, c.ID)
	if err != nil {
		return nil, err
	}
	out := make([]SessionView, 0, len(sessions))
	for _, ses := range sessions {
		out = append(out, sessionView(ses, ts, marks[ses.ID], feedback[ses.ID]))
	}
	return out, nil
}

func (s *Service) programmeOf(ctx context.Context, class int64) ([]domain.Trainee, []domain.TrainingSession, map[int64]map[int64]string, map[int64][]domain.Feedback, error) {
	ts, err := s.db.Trainees(ctx, class)
	if err != nil {
		return nil, nil, nil, nil, err
	}
	sessions, err := s.db.TrainingSessions(ctx, class)
	if err != nil {
		return nil, nil, nil, nil, err
	}
	marks, err := s.db.ClassAttendance(ctx, class)
	if err != nil {
		return nil, nil, nil, nil, err
	}
	feedback, err := s.db.ClassFeedback(ctx, class)
	return ts, sessions, marks, feedback, err
}

func sessionView(ses domain.TrainingSession, ts []domain.Trainee, marks map[int64]string, fb []domain.Feedback) SessionView {
	v := SessionView{TrainingSession: ses, Attendance: domain.SumAttendance(ses.Expected(ts), marks)}
	v.Attendance.Feedback = len(fb)
	if len(fb) > 0 {
		sum := 0
		for _, f := range fb {
			sum += f.Rating
		}
		r := float64(sum) / float64(len(fb))
		v.Attendance.Rating = &r
	}
	return v
}

// TrainingSession reads one session of a class: its trainees, marks and feedback.
func (s *Service) TrainingSession(ctx context.Context, u domain.User, id, session int64) (SessionDetail, error) {
	c, err := s.readClass(ctx, u, id)
	if err != nil {
		return SessionDetail{}, err
	}
	ts, sessions, marks, feedback, err := s.programmeOf(ctx, c.ID)
	if err != nil {
		return SessionDetail{}, err
	}
	for _, ses := range sessions {
		if ses.ID == session {
			d := SessionDetail{Class: c, Session: sessionView(ses, ts, marks[ses.ID], feedback[ses.ID]), Expected: ses.Expected(ts),
				Marks: marks[ses.ID], Feedback: feedback[ses.ID], Manages: domain.TrainingManages(u, c)}
			if d.Marks == nil {
				d.Marks = map[int64]string{}
			}
			if d.Feedback == nil {
				d.Feedback = []domain.Feedback{}
			}
			return d, nil
		}
	}
	return SessionDetail{}, domain.Errorf(domain.ENOTFOUND, "session %d not found", session)
}

// AddTrainingSession adds a session to a class's programme; a study visit names the
// group that makes it.
func (s *Service) AddTrainingSession(ctx context.Context, u domain.User, id int64, ses domain.TrainingSession) (domain.TrainingSession, error) {
	_, err := s.manageClass(ctx, u, id, "training.session", func(tx *store.Tx, _ *domain.TrainingClass, ts []domain.Trainee, rules []domain.MixRule) ([]domain.Trainee, []domain.MixRule, any, error) {
		if err := ses.Validate(groupsOf(ts)); err != nil {
			return nil, nil, nil, err
		}
		return ts, rules, ses, tx.InsertTrainingSession(id, &ses)
	})
	return ses, err
}

// MarkAttendance records trainees' marks for a session; each must be a trainee the
// session expects.
func (s *Service) MarkAttendance(ctx context.Context, u domain.User, id, session int64, in AttendanceMarks) (SessionDetail, error) {
	_, err := s.manageClass(ctx, u, id, "training.attendance", func(tx *store.Tx, _ *domain.TrainingClass, ts []domain.Trainee, rules []domain.MixRule) ([]domain.Trainee, []domain.MixRule, any, error) {
		if len(in.Marks) == 0 || len(in.Marks) > domain.MaxTrainees {
			return nil, nil, nil, domain.Invalidf("attendance.marks", "give the marks of 1 to %d trainees", domain.MaxTrainees)
		}
		ses, err := tx.TrainingSession(id, session)
		if err != nil {
			return nil, nil, nil, err
		}
		expected := map[int64]bool{}
		for _, t := range ses.Expected(ts) {
			expected[t.ID] = true
		}
		for tid, m := range in.Marks {
			if !expected[tid] {
				return nil, nil, nil, domain.Invalidf("attendance.trainee", "学员 %d 不在本次课程（或调研组）的名单中", tid)
			}
			if !domain.ValidMark(m) {
				return nil, nil, nil, domain.Invalidf("attendance.mark", "考勤须为 present、late、leave 或 absent")
			}
		}
		return ts, rules, map[string]any{"session": session, "marks": len(in.Marks)}, tx.MarkAttendance(session, in.Marks)
	})
	if err != nil {
		return SessionDetail{}, err
	}
	return s.TrainingSession(ctx, u, id, session)
}

// AddFeedback records a trainee's anonymous feedback on a session.
func (s *Service) AddFeedback(ctx context.Context, u domain.User, id, session int64, f domain.Feedback) (domain.Feedback, error) {
	_, err := s.manageClass(ctx, u, id, "training.feedback", func(tx *store.Tx, _ *domain.TrainingClass, ts []domain.Trainee, rules []domain.MixRule) ([]domain.Trainee, []domain.MixRule, any, error) {
		if err := f.Validate(); err != nil {
			return nil, nil, nil, err
		}
		if _, err := tx.TrainingSession(id, session); err != nil {
			return nil, nil, nil, err
		}
		return ts, rules, map[string]any{"session": session, "rating": f.Rating}, tx.AddFeedback(session, &f)
	})
	return f, err
}
