"""The `scrm-bot` command as a user runs it."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from support.processes import bot_command

from bot.cli.main import build_parser, main

EXAMPLE = Path("config.example.toml")


def write_config(tmp_path: Path) -> Path:
    text = EXAMPLE.read_text(encoding="utf-8").replace(
        'url = "sqlite://data/scrm.db"', f'url = "sqlite://{tmp_path}/data/scrm.db"'
    )
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_every_subcommand_has_help(capsys: pytest.CaptureFixture[str]) -> None:
    for command in (
        ["serve"],
        ["simulate"],
        ["migrate"],
        ["console"],
        ["demo"],
        ["tenant", "add"],
        ["tenant", "list"],
    ):
        with pytest.raises(SystemExit) as done:
            build_parser().parse_args([*command, "--help"])
        assert done.value.code == 0
        assert "usage: scrm-bot" in capsys.readouterr().out


def test_migrate_then_tenants_from_config_and_cli(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = write_config(tmp_path)
    assert main(["migrate", "-c", str(config)]) == 0
    assert (tmp_path / "data" / "scrm.db").exists()
    assert "database is up to date" in capsys.readouterr().out

    assert main(["tenant", "list", "-c", str(config)]) == 0
    assert "no tenants yet" in capsys.readouterr().out

    added = main(
        [
            "tenant",
            "add",
            "-c",
            str(config),
            "--key",
            "huaxia",
            "--corp-id",
            "wwhuaxia01",
            "--name",
            "华夏科技",
            "--agent-id",
            "1000005",
            "--secret",
            "s3cret",
            "--token",
            "tok",
            "--aes-key",
            "kWxPEV2UEDyxWpmPdKC3F4dgPDmOvfKX1HGnEUDS1aR",
            "--admin",
            "wangwu",
        ]
    )
    assert added == 0
    assert "callback URL: http://127.0.0.1:8080/wecom/huaxia/app" in capsys.readouterr().out
    assert main(["tenant", "list", "-c", str(config)]) == 0
    listing = capsys.readouterr().out
    assert "huaxia\twwhuaxia01\t华夏科技\tagent 1000005\tadmins: wangwu" in listing
    assert "s3cret" not in listing


def test_tenant_add_refuses_a_bad_key(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    config = write_config(tmp_path)
    code = main(
        [
            "tenant",
            "add",
            "-c",
            str(config),
            "--key",
            "华夏",
            "--corp-id",
            "ww1",
            "--agent-id",
            "1",
            "--secret",
            "s",
            "--token",
            "t",
            "--aes-key",
            "x" * 43,
        ]
    )
    assert code == 2
    assert "tenants[0].key" in capsys.readouterr().err


def test_demo_plays_the_tour_through_the_encrypted_path(tmp_path: Path) -> None:
    done = subprocess.run(
        bot_command("demo", "--no-interactive", "--db", str(tmp_path / "d.db")),
        capture_output=True,
        text=True,
        timeout=300,  # half a minute alone; longer while the suite's other workers run
        stdin=subprocess.DEVNULL,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert "回调 URL 校验：通过" in out
    assert "张三（管理员） > 帮助\n  机器人 > 我能帮你做这些" in out
    assert "机器人 > 没听懂「明天天气怎么样」。" in out
    # The tour's natural-language exchanges: said the way people type, understood as commands.
    assert "李四（销售） > 你好\n  机器人 > 你好！我是你的客户助手" in out
    assert "李四（销售） > 帮我查一下王小明\n  机器人 > 【客户】王小明（微信客户）" in out
    assert (
        "李四（销售） > 给王小明打个标签 重点客户\n  机器人 > 已给 王小明 打上标签：重点客户" in out
    )
    assert "> 下周三上午10点提醒我回访王小明\n  机器人 > 好的，已安排跟进 #1" in out
    # understood by similarity: run as its canonical form, and said so
    assert "> 最近王小明这边有什么动态\n  机器人 > （按「客户动态 王小明」处理）" in out
    assert "李四只收到 1 条回复" in out
    assert "机器人 > 「售后工单」未开通：报修与售后工单" in out  # the subscription scene
    assert "李四的企业微信日历 > 安装 AZ-" in out  # the installation scene
    assert "王五（仓管） > [位置] 朝阳区建国路88号\n  机器人 > 已签到：安装单 AZ-" in out
    assert "的第 2 张照片。" in out
    assert "王五（仓管） > 完工 AZ0001 已装好测试正常\n  机器人 > 安装单 AZ-" in out
    assert "王小明收到 > 您好，演示科技有限公司的安装已完成：打印机2台。" in out
    assert "王小明（微信客服） > 好的，已经装好了\n  王小明收到 > 好的，已确认安装单 AZ-" in out
    assert "客户已确认，满意度问卷已发给王小明（微信客服）。" in out
    assert "管理员收到 > 【升级提醒】lisi 想使用「售后工单」" in out
    assert "机器人 > 【报价】开通 售后工单" in out
    assert "机器人 > 已下单：订单 1（开通 售后工单，¥" in out  # the price follows the month
    assert "管理员收到 > 【订单已生效】订单 1" in out
    assert "管理员收到 > 【续费提醒】演示科技有限公司的标准版将于" in out
    assert "客户收到 > 你好，王小明！我是李四，很高兴认识你" in out  # the customer scene
    assert "李四收到 > 【来电 138 0013 8000】\n  李四收到 > 王小明" in out  # the screen pop card
    assert "李四收到 > 【未接来电 138 0013 8000】" in out  # and the missed call's card
    assert "李四（销售） > 查客户 王小明\n  机器人 > 【客户】王小明（微信客户）" in out
    assert "机器人 > 您对本次服务满意吗？ [5 非常满意 / 4 满意" in out  # the 微信客服 scene
    assert "已记录：4 分，留言「回复很快，谢谢」" in out
    assert "李四收到派单卡片 > 【新工单 GD-" in out  # the work-order scene
    assert "卡片按钮随即变灰，显示「已接单」" in out
    assert "lisi 解决：清理了搓纸轮" in out
    assert "机器人 > 通讯录已同步：3 个部门，5 位同事" in out  # the people scene
    assert "1. 王伟（销售部，wangwei）\n" in out
    assert "机器人 > 已下单：订单 2（开通 订单管理，¥" in out  # the order scene
    assert "首付一半下周五前\n  机器人 > 订单 DD-" in out
    assert "小计 ¥500.00，打9折 −¥50.00，合计 ¥450.00" in out
    assert "同步对外收款：1 笔收款，1 笔自动记到订单，0 笔待认领。" in out
    assert "已收 ¥225.00 · 未收 ¥225.00 · 部分回款" in out
    assert "A4纸 10箱（顺丰 SF123456）。部分发货，还差 A4纸 10箱。" in out
    assert "机器人 > 待回款 1 单，共 ¥225.00：" in out
    assert "退货：A4纸 2箱（总仓还剩 58箱），退回晨光文具，按进价计 ¥36.00。" in out
    assert "张三 领用 A4纸 3箱（总仓）。总仓还剩 55箱。" in out  # the ERP-lite scene
    assert "机器人 > 库存核对：1 个库存余额、3 条流水，全部一致。" in out
    # the provider's scene, last: its operator in its own WeCom
    assert "王芳（服务商运营） > 客户健康\n  机器人 > 客户健康（共 2 家）：" in out
    assert "王芳（服务商运营） > 演示科技用得怎么样\n  机器人 > 演示科技有限公司（demo）·" in out
    assert "张三收到 > 【4.2 版上线】" in out
    assert "王芳收到 > 【客服请求 KF0001】演示科技有限公司 · 李四：打印工单的模板怎么改" in out
    assert "李四收到 > 【客服回复 KF0001】模板在「设置 - 打印模板」里改" in out
    assert "处理了 71 条消息（重复投递只算一次），经发件箱发出 89 条回复" in out
