"""tracking: task states, milestones, target departments, supervision items and events

Revision ID: 0002_tracking
Revises: 0001_initial
Create Date: 2026-11-27 13:50:28.083695
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002_tracking"
down_revision = "0001_initial"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "supervision_items",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("subject", sa.String(length=8), nullable=False),
        sa.Column("subject_id", sa.Integer(), nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=True),
        sa.Column("department_id", sa.Integer(), nullable=True),
        sa.Column("reason", sa.String(length=32), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("detail", sa.Text(), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("extensions", sa.Integer(), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=True),
        sa.Column("raised_by", sa.String(length=100), nullable=False),
        sa.Column("raised_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint(
            "status IN ('raised', 'responded', 'extended', 'escalated', 'closed')",
            name=op.f("ck_supervision_items_status"),
        ),
        sa.CheckConstraint("subject IN ('target', 'task')", name=op.f("ck_supervision_items_subject")),
        sa.ForeignKeyConstraint(
            ["department_id"], ["departments.id"], name=op.f("fk_supervision_items_department_id_departments")
        ),
        sa.ForeignKeyConstraint(["plan_id"], ["plans.id"], name=op.f("fk_supervision_items_plan_id_plans")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_supervision_items")),
    )
    with op.batch_alter_table("supervision_items", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_supervision_items_department_id"), ["department_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_supervision_items_plan_id"), ["plan_id"], unique=False)
        batch_op.create_index("ix_supervision_items_subject", ["subject", "subject_id"], unique=False)

    op.create_table(
        "supervision_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("action", sa.String(length=16), nullable=False),
        sa.Column("from_status", sa.String(length=16), nullable=True),
        sa.Column("to_status", sa.String(length=16), nullable=False),
        sa.Column("text", sa.Text(), nullable=True),
        sa.Column("new_due_on", sa.Date(), nullable=True),
        sa.Column("actor", sa.String(length=100), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["item_id"],
            ["supervision_items.id"],
            name=op.f("fk_supervision_events_item_id_supervision_items"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_supervision_events")),
    )
    with op.batch_alter_table("supervision_events", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_supervision_events_item_id"), ["item_id"], unique=False)

    op.create_table(
        "task_milestones",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("duty_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("done_on", sa.Date(), nullable=True),
        sa.Column("created_by", sa.String(length=100), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["duty_id"], ["duties.id"], name=op.f("fk_task_milestones_duty_id_duties")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_task_milestones")),
    )
    with op.batch_alter_table("task_milestones", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_task_milestones_duty_id"), ["duty_id"], unique=False)

    op.create_table(
        "task_states",
        sa.Column("duty_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=8), nullable=False),
        sa.Column("deadline", sa.Date(), nullable=True),
        sa.Column("completed_on", sa.Date(), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("updated_by", sa.String(length=100), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint(
            "status IN ('未启动', '进行中', '已完成', '延期')", name=op.f("ck_task_states_status")
        ),
        sa.ForeignKeyConstraint(["duty_id"], ["duties.id"], name=op.f("fk_task_states_duty_id_duties")),
        sa.PrimaryKeyConstraint("duty_id", name=op.f("pk_task_states")),
    )

    op.create_table(
        "target_departments",
        sa.Column("target_id", sa.Integer(), nullable=False),
        sa.Column("department_id", sa.Integer(), nullable=False),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("assigned_by", sa.String(length=100), nullable=False),
        sa.Column("assigned_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint("role IN ('lead', 'support')", name=op.f("ck_target_departments_role")),
        sa.ForeignKeyConstraint(
            ["department_id"],
            ["departments.id"],
            name=op.f("fk_target_departments_department_id_departments"),
        ),
        sa.ForeignKeyConstraint(
            ["target_id"], ["targets.id"], name=op.f("fk_target_departments_target_id_targets")
        ),
        sa.PrimaryKeyConstraint("target_id", "department_id", "role", name=op.f("pk_target_departments")),
    )
    with op.batch_alter_table("target_departments", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_target_departments_department_id"), ["department_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("target_departments", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_target_departments_department_id"))

    op.drop_table("target_departments")
    op.drop_table("task_states")
    with op.batch_alter_table("task_milestones", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_task_milestones_duty_id"))

    op.drop_table("task_milestones")
    with op.batch_alter_table("supervision_events", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_supervision_events_item_id"))

    op.drop_table("supervision_events")
    with op.batch_alter_table("supervision_items", schema=None) as batch_op:
        batch_op.drop_index("ix_supervision_items_subject")
        batch_op.drop_index(batch_op.f("ix_supervision_items_plan_id"))
        batch_op.drop_index(batch_op.f("ix_supervision_items_department_id"))

    op.drop_table("supervision_items")
