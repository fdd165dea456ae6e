package open311

import "whistle/domain"

// filter is the store's selection of public requests.
type filter = domain.PublicFilter

// storeFilter selects one request by id within a jurisdiction.
func storeFilter(id int64, region string) filter {
	return filter{IDs: []int64{id}, Region: region, Limit: 1}
}
