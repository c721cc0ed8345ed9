import { type DynamicModule, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { SigningKey } from '@hostlink/persistence';
import { KeyRing } from './key-ring.service.js';
import { SigningKeyRepository } from './signing-key.repository.js';
import { TOKEN_KEYS_OPTIONS, type TokenKeysOptions } from './token-keys.options.js';
import { TokenSigner } from './token.signer.js';

/** A service's key ring and JWT signer; needs `TypeOrmModule.forRoot` from the composing app. */
@Module({})
export class TokenKeysModule {
  static forOwner(options: TokenKeysOptions): DynamicModule {
    return {
      module: TokenKeysModule,
      imports: [TypeOrmModule.forFeature([SigningKey])],
      providers: [
        { provide: TOKEN_KEYS_OPTIONS, useValue: options },
        SigningKeyRepository,
        KeyRing,
        TokenSigner,
      ],
      exports: [KeyRing, TokenSigner],
    };
  }
}
