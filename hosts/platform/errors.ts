import { HTTPException } from 'hono/http-exception';

/** A webhook or API call named a city we don't serve. */
export class UnknownCityError extends HTTPException {
  constructor(readonly city: string) {
    super(404, { message: `unknown city "${city}"` });
  }
}
