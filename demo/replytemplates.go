package demo

import (
	"context"

	"whistle/domain"
	"whistle/store"
)

// demoReplies are the demo's 常用语: the hotline's shared answers and two departments'
// usual results.
var demoReplies = []domain.ReplyTemplate{
	{Use: domain.ReplyAnswer, Title: "咨询已当场答复", Body: "{来电人}您好，您咨询的问题已为您当场答复，如仍有疑问可再次拨打12345。"},
	{Use: domain.ReplyAnswer, Title: "转办告知", Body: "{来电人}您好，您反映的{事项}问题已记录，将转交相关部门在规定时限内办理并回复您。"},
	{Use: domain.ReplyAnswer, Title: "非本地事项", Body: "{来电人}您好，您反映的事项不属于本地管辖，建议您向事发地12345热线反映。"},
	{Org: "LY-CGJ", Use: domain.ReplyResult, Title: "垃圾已清运", Body: "经现场核实，{地址}的垃圾已于{日期}清运完毕，{部门}将加强日常巡查。"},
	{Org: "LY-CGJ", Use: domain.ReplyResult, Title: "占道经营已劝离", Body: "{部门}已于{日期}到{地址}现场处置，占道经营摊贩已劝离，并告知其到规定区域经营。"},
	{Org: "LY-CGJ", Use: domain.ReplyResult, Title: "路灯已修复", Body: "经现场检查，{地址}路灯故障已于{日期}修复，恢复正常照明。"},
}

// LoadReplyTemplates stores the demo's reply templates, kept by the administrator.
func LoadReplyTemplates(ctx context.Context, db *store.DB, users Users) error {
	return db.Update(ctx, func(tx *store.Tx) error {
		for _, t := range demoReplies {
			if err := t.Validate(); err != nil {
				return err
			}
			if err := tx.PutReplyTemplate(&t, users["demo.admin"].ID); err != nil {
				return err
			}
		}
		return nil
	})
}
