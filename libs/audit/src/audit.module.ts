import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditEvent } from '@hostlink/persistence';
import { AuditRepository } from './audit.repository.js';

/** The audit log writer; needs `TypeOrmModule.forRoot` from the composing app. */
@Module({
  imports: [TypeOrmModule.forFeature([AuditEvent])],
  providers: [AuditRepository],
  exports: [AuditRepository],
})
export class AuditModule {}
