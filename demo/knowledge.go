package demo

import (
	"context"

	"whistle/domain"
	"whistle/store"
)

// demoKnowledge is the seat's knowledge base of the demo: the answers 涟源市's 12345
// gives most often, under their matters (the phone numbers are the national service
// lines and placeholders of 0738, 娄底's area code).
var demoKnowledge = []domain.Knowledge{
	{Matter: "MZ-006", Title: "灵活就业人员社保缴费", Body: "灵活就业人员可通过湖南智慧人社App、税务App或到户籍所在社区服务中心缴纳城镇职工养老保险和医疗保险，缴费档次自选。", Phones: "12333"},
	{Matter: "MZ-006", Title: "城乡居民医保参保", Body: "城乡居民医保每年集中征缴期为9月至12月，可在湘税社保小程序或村（社区）代办点缴费，当年参保次年享受待遇。", Phones: "12393"},
	{Matter: "MZ-001", Title: "低保申请条件和材料", Body: "家庭人均收入低于当地低保标准且财产符合规定的，可向户籍所在街道（乡镇）或村（社区）提出申请，需身份证、户口簿、家庭收入和财产情况说明。", Phones: "0738-1234501"},
	{Matter: "MZ-003", Title: "高龄补贴申领", Body: "80周岁以上老人持身份证、户口簿、银行卡到社区服务中心申请高龄津贴，审核通过后按月发放到卡。", Phones: "0738-1234502"},
	{Matter: "MZ-004", Title: "残疾证办理", Body: "持身份证、户口簿和近期照片到县级残联申请，由指定医院评定后发证；持证可申请困难残疾人生活补贴和重度残疾人护理补贴。", Phones: "0738-1234503"},
	{Matter: "JW-002", Title: "小学入学报名", Body: "适龄儿童由户籍或房产所在学区的学校接收，每年6月网上报名，需户口簿、房产证或居住证明。", Phones: "0738-1234504"},
	{Matter: "GY-005", Title: "天然气开户报装", Body: "携带房产证、身份证到燃气公司营业厅或通过燃气公司公众号办理开户报装，安装前会有工作人员上门勘察。", Phones: "0738-1234505"},
	{Matter: "GY-001", Title: "停水咨询", Body: "计划停水会提前在小区公告栏和自来水公司公众号发布；突发停水可拨打供水服务热线查询抢修进度。", Phones: "0738-1234506"},
	{Matter: "GY-003", Title: "停电报修", Body: "停电或电压不稳可拨打国家电网95598报修，或通过网上国网App查询停电计划。", Phones: "95598"},
	{Matter: "LD-001", Title: "农民工欠薪投诉", Body: "可向劳动保障监察机构投诉，提供劳动合同、考勤或工资条等证据；也可申请劳动仲裁，工程建设领域欠薪可通过全国根治欠薪线索反映平台反映。", Phones: "12333"},
	{Matter: "FW-004", Title: "不动产登记办证", Body: "新建商品房由开发企业统一申请首次登记后，购房人持合同、身份证和完税证明到不动产登记中心办理转移登记，可网上预约。", Phones: "0738-1234507"},
	{Title: "12345热线受理范围", Body: "12345热线受理非紧急类的咨询、求助、投诉、建议和表扬；报警请拨110，火警119，急救120。"},
}

// LoadKnowledge writes the demo's knowledge base.
func LoadKnowledge(ctx context.Context, db *store.DB, users Users) error {
	return db.Update(ctx, func(tx *store.Tx) error {
		for _, k := range demoKnowledge {
			k := k
			if err := k.Validate(); err != nil {
				return err
			}
			if err := tx.PutKnowledge(&k, users["demo.admin"].ID); err != nil {
				return err
			}
		}
		return nil
	})
}
