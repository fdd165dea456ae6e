package open311_test

import "whistle/domain"

func storeFilterChannel(ch string) domain.CaseFilter {
	return domain.CaseFilter{Channel: ch, Limit: 50}
}
