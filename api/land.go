package api

import (
	"context"
	"net/http"
	"strconv"

	"whistle/domain"
	"whistle/service"
	"whistle/transport"
)

// 土地承包经营权登记: collectives, households, parcels, contracts, applications through
// 受理 → 审核 → 登簿 → 缮证 → 发证, the register book, certificates, consents, the bank's
// check and the figures.

// landCheckInput is a bank's check: the certificate's number and the holder's code.
type landCheckInput struct {
	Number string `json:"number"`
	Code   string `json:"code"`
}

func (s *Server) landCollectives(w http.ResponseWriter, r *http.Request, u domain.User) error {
	cs, err := s.svc.LandCollectives(r.Context(), u, r.URL.Query().Get("region"))
	return reply(w, http.StatusOK, map[string]any{"collectives": cs}, err)
}

func (s *Server) landHouseholds(w http.ResponseWriter, r *http.Request, u domain.User) error {
	q := r.URL.Query()
	hs, err := s.svc.LandHouseholds(r.Context(), u, q.Get("region"), q.Get("id_number"))
	return reply(w, http.StatusOK, map[string]any{"households": hs}, err)
}

func (s *Server) landHousehold(w http.ResponseWriter, r *http.Request, u domain.User) error {
	id, err := transport.PathID(r, "id", "household")
	if err != nil {
		return err
	}
	h, err := s.svc.LandHousehold(r.Context(), u, id, r.URL.Query().Get("purpose"))
	return reply(w, http.StatusOK, h, err)
}

func (s *Server) putLandHousehold(ctx context.Context, u domain.User, id int64, h domain.LandHousehold) (domain.LandHousehold, error) {
	h.ID = id
	if _, err := s.svc.LandHousehold(ctx, u, id, ""); err != nil { // 404 to who does not read it
		return h, err
	}
	return s.svc.PutLandHousehold(ctx, u, h)
}

func (s *Server) newLandHousehold(ctx context.Context, u domain.User, h domain.LandHousehold) (domain.LandHousehold, error) {
	h.ID = 0
	return s.svc.PutLandHousehold(ctx, u, h)
}

func (s *Server) landParcels(w http.ResponseWriter, r *http.Request, u domain.User) error {
	ps, err := s.svc.LandParcels(r.Context(), u, r.URL.Query().Get("region"))
	return reply(w, http.StatusOK, map[string]any{"parcels": ps}, err)
}

func (s *Server) landParcelAt(w http.ResponseWriter, r *http.Request, u domain.User) error {
	q := r.URL.Query()
	lon, err1 := strconv.ParseFloat(q.Get("lon"), 64)
	lat, err2 := strconv.ParseFloat(q.Get("lat"), 64)
	if err1 != nil || err2 != nil {
		return domain.Invalidf("land.point", "lon and lat must be numbers (degrees)")
	}
	p, err := s.svc.LandParcelAt(r.Context(), u, lon, lat)
	return reply(w, http.StatusOK, p, err)
}

func (s *Server) importLandParcels(w http.ResponseWriter, r *http.Request, u domain.User) error {
	if r.URL.Query().Get("region") == "" {
		return domain.Invalidf("land.import", "region is required: the region whose collectives the parcels belong to")
	}
	body, err := readBody(w, r, 256<<20, "the GeoJSON")
	if err != nil {
		return err
	}
	n, err := s.svc.ImportLandParcels(r.Context(), u, r.URL.Query().Get("region"), body)
	return reply(w, http.StatusOK, map[string]int{"imported": n}, err)
}

func (s *Server) landApplications(w http.ResponseWriter, r *http.Request, u domain.User) error {
	open, err := queryBool(r, "open")
	if err != nil {
		return err
	}
	as, err := s.svc.LandApplications(r.Context(), u, r.URL.Query().Get("region"), open)
	return reply(w, http.StatusOK, map[string]any{"applications": as}, err)
}

func (s *Server) landRegister(w http.ResponseWriter, r *http.Request, u domain.User) error {
	day, err := queryDay(r, "day")
	if err != nil {
		return err
	}
	v, err := s.svc.LandRegister(r.Context(), u, r.PathValue("unit"), day)
	return reply(w, http.StatusOK, v, err)
}

func (s *Server) landCertificates(w http.ResponseWriter, r *http.Request, u domain.User) error {
	cs, err := s.svc.LandCertificates(r.Context(), u, r.URL.Query().Get("region"))
	return reply(w, http.StatusOK, map[string]any{"certificates": cs}, err)
}

func (s *Server) landCertificatePDF(w http.ResponseWriter, r *http.Request, u domain.User) error {
	id, err := transport.PathID(r, "id", "certificate")
	if err != nil {
		return err
	}
	body, name, err := s.svc.LandCertificatePDF(r.Context(), u, id)
	return transport.WriteDocument(w, transport.PDF, name, true, body, err)
}

func (s *Server) landConsent(ctx context.Context, u domain.User, id int64, _ struct{}) (service.LandConsent, error) {
	return s.svc.CreateLandConsent(ctx, u, id)
}

func (s *Server) landCheck(ctx context.Context, u domain.User, in landCheckInput) (service.LandCheck, error) {
	return s.svc.CheckLandCertificate(ctx, u, in.Number, in.Code)
}

// landFigures answers a region's figures as of a day as JSON, or as XLSX with format.
func (s *Server) landFigures(w http.ResponseWriter, r *http.Request, u domain.User) error {
	q := r.URL.Query()
	format := q.Get("format")
	if format != "" && format != "json" && format != "xlsx" {
		return domain.Errorf(domain.EINVALID, "format is json or xlsx")
	}
	day, err := queryDay(r, "day")
	if err != nil {
		return err
	}
	f, err := s.svc.LandFigures(r.Context(), u, q.Get("region"), day)
	if err != nil || format != "xlsx" {
		return reply(w, http.StatusOK, f, err)
	}
	name, body, err := service.LandFiguresXLSX(f)
	return transport.WriteDocument(w, transport.XLSX, name, false, body, err)
}

// landRoutes registers the land register.
func (s *Server) landRoutes() {
	s.authed("GET /api/v1/land/offices", list("offices", s.svc.LandOffices))
	s.authed("POST /api/v1/land/offices", create("/api/v1/land/offices/", func(o domain.LandOffice) int64 { return o.ID }, s.svc.CreateLandOffice))
	s.authed("GET /api/v1/land/collectives", s.landCollectives)
	s.authed("POST /api/v1/land/collectives", create("/api/v1/land/collectives/", func(c domain.LandCollective) int64 { return c.ID }, s.svc.CreateLandCollective))
	s.authed("GET /api/v1/land/households", s.landHouseholds)
	s.authed("POST /api/v1/land/households", create("/api/v1/land/households/", func(h domain.LandHousehold) int64 { return h.ID }, s.newLandHousehold))
	s.authed("GET /api/v1/land/households/{id}", s.landHousehold)
	s.authed("PUT /api/v1/land/households/{id}", writeID("household", http.StatusOK, s.putLandHousehold))
	s.authed("GET /api/v1/land/parcels", s.landParcels)
	s.authed("POST /api/v1/land/parcels", create("/api/v1/land/parcels/", func(p domain.LandParcel) int64 { return p.ID }, s.svc.CreateLandParcel))
	s.authed("GET /api/v1/land/parcels/at", s.landParcelAt)
	s.authed("POST /api/v1/land/parcels/import", s.importLandParcels)
	s.authed("POST /api/v1/land/contracts", create("/api/v1/land/contracts/", func(c domain.LandContract) int64 { return c.ID }, s.svc.CreateLandContract))
	s.authed("GET /api/v1/land/applications", s.landApplications)
	s.authed("POST /api/v1/land/applications", create("/api/v1/land/applications/", func(a domain.LandApplication) int64 { return a.ID }, s.svc.ApplyLand))
	s.authed("GET /api/v1/land/applications/{id}", byID("application", s.svc.LandApplication))
	s.authed("POST /api/v1/land/applications/{id}/steps", writeID("application", http.StatusOK, s.svc.ActOnLand))
	s.authed("GET /api/v1/land/register/{unit}", s.landRegister)
	s.authed("GET /api/v1/land/certificates", s.landCertificates)
	s.authed("GET /api/v1/land/certificates/{id}", byID("certificate", s.svc.LandCertificate))
	s.authed("GET /api/v1/land/certificates/{id}/pdf", s.landCertificatePDF)
	s.authed("POST /api/v1/land/certificates/{id}/consents", writeID("certificate", http.StatusCreated, s.landConsent))
	s.authed("POST /api/v1/land/checks", write(http.StatusOK, s.landCheck))
	s.authed("GET /api/v1/land/figures", s.landFigures)
}
