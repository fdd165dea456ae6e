package demo_test

import (
	"whistle/demo"
	"whistle/domain"
	"whistle/whistletest"
)

func storeQuery() domain.StatsQuery {
	return domain.StatsQuery{Region: demo.Street, From: whistletest.Start.AddDate(-2, 0, 0).Format("2006-01-02"), To: whistletest.Start.Format("2006-01-02")}
}
